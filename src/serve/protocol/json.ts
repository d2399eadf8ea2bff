// JSON text for numbers, written by hand on the hot path (the same text JSON.stringify gives).

// A number as JSON: non-finite values become null, as JSON.stringify does.
export const num = (x: number): string => (Number.isFinite(x) ? `${x}` : "null");

// values[from..to) as a JSON list.
export function numList(values: ArrayLike<number>, from = 0, to = values.length): string {
  let out = "[";
  for (let i = from; i < to; i++) out += i === from ? num(values[i]!) : `,${num(values[i]!)}`;
  return `${out}]`;
}
