// Text into HTML and numbers into words: every string from the store goes through esc() (HTML injection).

const ENTITIES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

// A value as HTML text, safe in element content and in quoted attribute values.
export function esc(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

// A number for reading: integers whole, others to `digits` significant digits; "n/a" for null and NaN.
export function num(value: number | null | undefined, digits = 4): string {
  if (value === null || value === undefined || Number.isNaN(value)) return "n/a";
  if (value === Infinity) return "+∞";
  if (value === -Infinity) return "−∞";
  if (Number.isInteger(value)) return String(value);
  const abs = Math.abs(value);
  if (abs !== 0 && (abs < 1e-4 || abs >= 1e9)) return Number(value.toPrecision(digits)).toExponential();
  return String(Number(value.toPrecision(digits)));
}

// An SVG coordinate: two decimals, enough for a pixel and short to write.
export const coord = (v: number): string => (Math.round(v * 100) / 100).toString();
