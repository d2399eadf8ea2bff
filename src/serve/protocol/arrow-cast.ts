// Arrow input columns through the input contract: a column of another type than the pipeline's (a float64
// categorical, a utf8 numeric, booleans) is cast value by value as Spark casts its training column, each
// distinct value once; refused values and unseen categories are counted per row.
import { CodedStrings, NullableNumbers, type InputColumnData } from "../../model/columns.js";
import type { InputRule } from "../../model/input/contract.js";
import type { Value } from "../../model/index.js";
import type { Problems } from "./errors.js";
import type { UnseenCounts } from "./inputs.js";

// Where refused values go: a row's problem (fail: the batch is refused) and its mark in `bad` (skip).
export interface Refusals {
  problems: Problems;
  bad: Uint8Array;
}

// A numeric input's column checked for values the contract refuses (±Infinity); the column itself is kept.
export function checkNumbers(rule: InputRule, col: Float64Array | NullableNumbers, rows: number, out: Refusals): void {
  const values = col instanceof NullableNumbers ? col.values : col;
  for (let r = 0; r < rows; r++) {
    const x = values[r]!;
    if (x === Infinity || x === -Infinity) refuse(rule, x, r, out);
  }
}

// A categorical input's codes: words the contract recasts (lenient "1" -> "1.0" for a double column) are
// replaced, refused ones marked; unseen categories counted.
export function castWords(rule: InputRule, col: CodedStrings, out: Refusals, unseen: UnseenCounts): CodedStrings {
  return recode(rule, col.codes, col.words, out, unseen);
}

// Values of another type (numbers or booleans for a categorical input; text or booleans for a numeric one)
// cast into the pipeline's type: CodedStrings for a categorical input, numbers (with nulls) for a numeric one.
export function castValues(rule: InputRule, values: (unknown | null)[], out: Refusals, unseen: UnseenCounts): InputColumnData {
  const rows = values.length;
  if (rule.column.type === "string") {
    const codes = new Int32Array(rows);
    const words: unknown[] = [];
    const seen = new Map<unknown, number>();
    for (let r = 0; r < rows; r++) {
      const v = values[r];
      if (v === null || v === undefined) {
        codes[r] = -1;
        continue;
      }
      let code = seen.get(v);
      if (code === undefined) seen.set(v, (code = words.push(v) - 1));
      codes[r] = code;
    }
    return recode(rule, codes, words, out, unseen);
  }
  const numbers = new Float64Array(rows);
  let nulls: Uint8Array | null = null;
  const cache = new Map<unknown, Value | undefined>();
  for (let r = 0; r < rows; r++) {
    const v = values[r];
    let x = cache.get(v);
    if (x === undefined && !cache.has(v)) cache.set(v, (x = v === undefined ? null : rule.cast(v)));
    if (x === undefined) {
      refuse(rule, v, r, out);
      numbers[r] = Number.NaN;
    } else if (x === null) {
      (nulls ??= new Uint8Array(rows))[r] = 1;
      numbers[r] = Number.NaN;
    } else numbers[r] = x as number;
  }
  return nulls ? new NullableNumbers(numbers, nulls) : numbers;
}

// Codes into distinct raw values -> CodedStrings of the contract's words; refused words mark their rows.
function recode(rule: InputRule, codes: Int32Array, raw: readonly unknown[], out: Refusals, unseen: UnseenCounts): CodedStrings {
  const words: (string | null)[] = new Array(raw.length);
  const refused = new Uint8Array(raw.length);
  const isUnseen = new Uint8Array(raw.length);
  let anyRefused = false;
  let anyUnseen = false;
  for (let k = 0; k < raw.length; k++) {
    const w = raw[k] === null ? null : rule.cast(raw[k]);
    if (w === undefined) {
      refused[k] = 1;
      anyRefused = true;
      words[k] = null;
    } else {
      words[k] = w as string | null;
      if (w !== null && rule.unseen(w)) {
        isUnseen[k] = 1;
        anyUnseen = true;
      }
    }
  }
  if (anyRefused || anyUnseen) {
    let count = 0;
    for (let r = 0; r < codes.length; r++) {
      const c = codes[r]!;
      if (c < 0) continue;
      if (refused[c]) refuse(rule, raw[c], r, out);
      else if (isUnseen[c]) count++;
    }
    if (count) unseen.add(rule.column.name, count);
  }
  return new CodedStrings(codes, words);
}

function refuse(rule: InputRule, v: unknown, row: number, out: Refusals): void {
  out.problems.add(rule.column.name, `row ${row}: ${rule.why(v)}`);
  out.bad[row] = 1;
}
