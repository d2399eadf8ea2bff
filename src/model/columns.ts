// Column-wise scoring of a batch: the frame a column kernel works on (one typed array per slot, a chunk of
// rows at a time), the kernels' types, and the column forms a caller may hand in. A kernel computes, for
// every row, the same doubles as its stage's row function, in the same order of operations, so a batch
// scores bit for bit as row by row.
import { RowError } from "./frame.js";

// Rows per chunk: small enough that a chunk's intermediate columns stay in the CPU cache.
export const CHUNK_ROWS = 2048;

// A double column: NaN where the value is null, and `nulls` marking the nulls (null when there are none).
export interface DoubleColumn {
  values: Float64Array;
  nulls: Uint8Array | null;
}

// A vector column, column-major: element i of every row in columns[i]. Kernels never write into their
// inputs, so a vector may share arrays with the columns it was assembled from.
export interface VectorColumn {
  columns: Float64Array[];
}

export type ColumnData = DoubleColumn | CodedStrings | VectorColumn;

// A string column as codes into its distinct words (code -1 for null); how the Arrow route hands over a
// utf8 or dictionary column, so each distinct value is looked up once per batch rather than once per row.
export class CodedStrings {
  constructor(
    readonly codes: Int32Array,
    readonly words: readonly (string | null)[],
  ) {}

  get length(): number {
    return this.codes.length;
  }

  // Rows start..end as a CodedStrings sharing the words.
  slice(start: number, end: number): CodedStrings {
    return new CodedStrings(this.codes.subarray(start, end), this.words);
  }

  // The values as the row path takes them, null where null.
  toArray(): (string | null)[] {
    const out = new Array<string | null>(this.codes.length);
    for (let r = 0; r < out.length; r++) out[r] = this.codes[r]! < 0 ? null : this.words[this.codes[r]!]!;
    return out;
  }
}

// A numeric column with nulls as two typed arrays (NaN where null, and a 1 in `nulls`); how the Arrow route
// hands over a nullable numeric column without a JavaScript array of boxed numbers.
export class NullableNumbers implements DoubleColumn {
  constructor(
    readonly values: Float64Array,
    readonly nulls: Uint8Array,
  ) {}

  get length(): number {
    return this.values.length;
  }

  // The values as the row path takes them, null where null.
  toArray(): (number | null)[] {
    const out = new Array<number | null>(this.values.length);
    for (let r = 0; r < out.length; r++) out[r] = this.nulls[r] === 1 ? null : this.values[r]!;
    return out;
  }
}

// What scoreColumns takes per input column.
export type InputColumnData = ArrayLike<number | string | null> | CodedStrings | NullableNumbers;

// One chunk of a batch in slots, as SlotMap numbers them, with scratch arrays reused from chunk to chunk.
export class ColumnFrame {
  rows = 0;
  slots: (ColumnData | undefined)[];
  private readonly pool: Float64Array[] = [];
  private used = 0;

  constructor(size: number) {
    this.slots = new Array(size);
  }

  // Starts a chunk of `rows` rows: every scratch array is free again.
  reset(rows: number): void {
    this.rows = rows;
    this.used = 0;
    this.slots.fill(undefined);
  }

  // A scratch array of `rows` doubles, valid until the next reset; its contents are arbitrary.
  alloc(): Float64Array {
    let buffer = this.pool[this.used];
    if (!buffer) this.pool.push((buffer = new Float64Array(CHUNK_ROWS)));
    this.used++;
    return this.rows === CHUNK_ROWS ? buffer : buffer.subarray(0, this.rows);
  }
}

// Column-wise results of a batch: probabilities row-major, `width` values per row.
export interface BatchResult {
  rows: number;
  prediction: Float64Array;
  width: number;
  probability?: Float64Array;
  rawPrediction?: Float64Array;
  link?: Float64Array; // a GLM's eta per row, when the caller asks for it (a transfer's source_model stage)
  hidden?: Float64Array; // an MLP's last hidden layer, `hiddenWidth` values per row, when the caller asks for it
  hiddenWidth?: number;
}

// A feature stage on one chunk: reads and writes slots of the frame; throws RowError when a row cannot be
// scored (the caller then rescores row by row to report the first bad row exactly).
export type ColumnStageFn = (frame: ColumnFrame) => void;

// A model stage on one chunk: fills the result's arrays (those the result has) for rows at .. at + frame.rows.
export type ColumnPredictFn = (features: readonly Float64Array[], frame: ColumnFrame, out: BatchResult, at: number) => void;

// A stage's row function with its batch kernel attached, when it has one.
export type WithColumns<F, K> = F & { columns?: K };

// Attaches a batch kernel to a row function (compile.ts reads it back with columnKernel).
export function withColumns<F extends object, K>(fn: F, columns: K): WithColumns<F, K> {
  return Object.assign(fn, { columns });
}

// The batch kernel attached to a compiled stage, if any.
export function columnKernel<K>(fn: object): K | undefined {
  return (fn as { columns?: K }).columns;
}

// The caller's numeric column as a DoubleColumn; null when a value is neither a number nor null (then
// the batch is scored row by row, which treats such values as the row path always has).
export function doubleInput(col: InputColumnData, rows: number): DoubleColumn | null {
  if (col instanceof Float64Array) return { values: col.subarray(0, rows), nulls: null };
  if (col instanceof NullableNumbers) return { values: col.values.subarray(0, rows), nulls: col.nulls.subarray(0, rows) };
  if (col instanceof CodedStrings) return null;
  const values = new Float64Array(rows);
  let nulls: Uint8Array | null = null;
  for (let r = 0; r < rows; r++) {
    const v = col[r];
    if (typeof v === "number") values[r] = v;
    else if (v === null) {
      (nulls ??= new Uint8Array(rows))[r] = 1;
      values[r] = Number.NaN;
    } else return null;
  }
  return { values, nulls };
}

// The caller's string column as CodedStrings; null when a value is neither a string nor null (the row path
// then treats it as it always has).
export function stringInput(col: InputColumnData, rows: number): CodedStrings | null {
  if (col instanceof CodedStrings) return col.length === rows ? col : col.slice(0, rows);
  if (col instanceof NullableNumbers || col instanceof Float64Array) return null;
  const codes = new Int32Array(rows);
  const words: string[] = [];
  const seen = new Map<string, number>();
  let last: unknown = undefined;
  let lastCode = -1;
  for (let r = 0; r < rows; r++) {
    const v = col[r];
    if (v === null) codes[r] = -1;
    else if (typeof v !== "string") return null;
    else if (v === last) codes[r] = lastCode;
    else {
      let code = seen.get(v);
      if (code === undefined) {
        code = words.length;
        words.push(v);
        seen.set(v, code);
      }
      codes[r] = lastCode = code;
      last = v;
    }
  }
  return new CodedStrings(codes, words);
}

// A chunk's view of a whole-batch input column.
export function chunkOf(col: DoubleColumn | CodedStrings, start: number, end: number): DoubleColumn | CodedStrings {
  if (col instanceof CodedStrings) return col.slice(start, end);
  return { values: col.values.subarray(start, end), nulls: col.nulls && col.nulls.subarray(start, end) };
}

// A batch kernel's way to say "this row cannot be scored": the row path finds and reports it.
export function rowFails(field: string): never {
  throw new RowError(field, "cannot be scored");
}
