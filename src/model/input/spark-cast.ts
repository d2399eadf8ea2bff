// Spark's casts between a value's training type and the pipeline's type, as the input contract needs them:
// number -> string (Java's Double.toString / Float.toString rules, which Spark's CAST uses) and
// string -> number (Spark's ANSI CAST of a string to a double or an integer).

// The source types mlship tells apart; anything else (dates, decimals with odd scales) is "other".
export type SourceKind = "double" | "float" | "integer" | "decimal" | "boolean" | "string" | "other";

const INTEGER_TYPES = new Set(["tinyint", "smallint", "int", "bigint", "byte", "short", "integer", "long"]);

// The kind of a Spark simpleString type name ("double", "bigint", "decimal(10,2)", …).
export function sourceKind(sparkType: string): SourceKind {
  const t = sparkType.toLowerCase();
  if (t === "double") return "double";
  if (t === "float" || t === "real") return "float";
  if (INTEGER_TYPES.has(t)) return "integer";
  if (t.startsWith("decimal")) return "decimal";
  if (t === "boolean") return "boolean";
  if (t === "string" || t.startsWith("varchar") || t.startsWith("char")) return "string";
  return "other";
}

// The scale of a decimal(p,s) type name; 0 when absent.
export function decimalScale(sparkType: string): number {
  const m = /decimal\(\s*\d+\s*,\s*(\d+)\s*\)/i.exec(sparkType);
  return m ? Number(m[1]) : 0;
}

// Java's Double.toString: plain notation for 1e-3 <= |x| < 1e7 ("1.0", "0.001"), else "d.dddE±n" ("1.0E7").
// Digits are the shortest that round-trip (JDK 19+; JDK 17 differs only for rare many-digit values, which the
// contract then matches by value against the model's known levels).
export function javaDoubleString(x: number): string {
  return javaFormat(x, (a) => a.toExponential());
}

// Java's Float.toString of a float32 value (the shortest digits that round-trip as a float).
export function javaFloatString(x: number): string {
  const f = Math.fround(x);
  return javaFormat(f, (a) => {
    for (let p = 0; p < 9; p++) {
      const s = a.toExponential(p);
      if (Math.fround(Number(s)) === a) return s;
    }
    return a.toExponential(8);
  });
}

function javaFormat(x: number, exponential: (a: number) => string): string {
  if (Number.isNaN(x)) return "NaN";
  if (x === Infinity) return "Infinity";
  if (x === -Infinity) return "-Infinity";
  if (x === 0) return Object.is(x, -0) ? "-0.0" : "0.0";
  const sign = x < 0 ? "-" : "";
  const a = Math.abs(x);
  // Java writes at least two digits, the two closest to the value ("1.0E7"; 4.9E-324 for the smallest double).
  let [mantissa, expText] = exponential(a).split("e") as [string, string];
  if (!mantissa.includes(".")) [mantissa, expText] = a.toExponential(1).split("e") as [string, string];
  const digits = mantissa.replace(".", "").replace(/(?<=.)0+$/, "");
  const e = Number(expText);
  if (a >= 1e-3 && a < 1e7) {
    if (e >= 0) {
      const int = digits.slice(0, e + 1).padEnd(e + 1, "0");
      return `${sign}${int}.${digits.slice(e + 1) || "0"}`;
    }
    return `${sign}0.${"0".repeat(-e - 1)}${digits}`;
  }
  return `${sign}${digits[0]}.${digits.slice(1) || "0"}E${e}`;
}

// Spark's string -> double: surrounding whitespace ignored, an optional d/f suffix, NaN and Infinity by name;
// undefined when the text is not a number.
export function parseSparkDouble(text: string): number | undefined {
  const t = text.trim();
  if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?[dDfF]?$/.test(t)) return Number(t.replace(/[dDfF]$/, ""));
  if (t === "NaN") return Number.NaN;
  if (/^[+-]?(Infinity|inf)$/i.test(t)) return t.startsWith("-") ? -Infinity : Infinity;
  return undefined;
}

// Spark's string -> integer (ANSI): optional sign and digits only ("1.0" is refused, as Spark refuses it).
export function parseSparkInteger(text: string): number | undefined {
  const t = text.trim();
  return /^[+-]?\d+$/.test(t) ? Number(t) : undefined;
}

// A number as Spark casts it to a string from a column of the given kind; undefined when no such column
// could hold it (1.5 in an integer column, any number in a boolean one).
export function numberToSparkString(x: number, kind: SourceKind, scale = 0): string | undefined {
  switch (kind) {
    case "double":
    case "other":
      return javaDoubleString(x);
    case "float":
      return javaFloatString(x);
    case "integer":
      return Number.isInteger(x) && Number.isSafeInteger(x) ? String(x) : undefined;
    case "decimal":
      return Number.isFinite(x) && Math.abs(x) < 1e21 ? x.toFixed(scale) : undefined;
    case "string":
      // As Spark reads a JSON number into a text column: integers as written, others as a double.
      return Number.isSafeInteger(x) ? String(x) : javaDoubleString(x);
    case "boolean":
      return undefined;
  }
}
