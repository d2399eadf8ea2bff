// Redaction by value: every occurrence of a secret becomes "***", wherever it ended up.

export const MASK = "***";
const MIN_SECRET_LENGTH = 4; // shorter values would mask ordinary text ("true", ports, …) all over

// A secret as it appears inside a JSON string (the job description, which a log may echo), when that differs from the raw value.
function spellings(secret: string): string[] {
  const json = JSON.stringify(secret).slice(1, -1);
  return json === secret ? [secret] : [secret, json];
}

// Returns a function that masks every occurrence of every secret (values under 4 characters are ignored).
// Occurrences are found on the original text and overlapping ones merged, so two secrets that
// overlap ("abcdef", "defghi" in "abcdefghi") leave no tail behind; longer secrets are matched first.
export function redactor(secrets: string[]): (s: string) => string {
  const needles = [...new Set(secrets.filter((s) => s.length >= MIN_SECRET_LENGTH).flatMap(spellings))].sort(
    (a, b) => b.length - a.length,
  );
  if (needles.length === 0) return (s) => s;
  return (s) => {
    const spans: [number, number][] = [];
    for (const needle of needles) {
      for (let i = s.indexOf(needle); i !== -1; i = s.indexOf(needle, i + 1)) spans.push([i, i + needle.length]);
    }
    if (spans.length === 0) return s;
    spans.sort((a, b) => a[0] - b[0]);
    const merged: [number, number][] = [];
    for (const [start, stop] of spans) {
      const last = merged.at(-1);
      if (last && start < last[1]) last[1] = Math.max(last[1], stop);
      else merged.push([start, stop]);
    }
    let out = "";
    let pos = 0;
    for (const [start, stop] of merged) {
      out += s.slice(pos, start) + MASK;
      pos = stop;
    }
    return out + s.slice(pos);
  };
}

export function redactArgv(argv: string[], secrets: string[]): string[] {
  return argv.map(redactor(secrets));
}

// Masks secret values in an environment (keys are names, never secrets).
export function redactEnv(env: Record<string, string>, secrets: string[]): Record<string, string> {
  const redact = redactor(secrets);
  return Object.fromEntries(Object.entries(env).map(([k, v]) => [k, redact(v)]));
}
