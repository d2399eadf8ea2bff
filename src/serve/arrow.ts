// Arrow IPC batches: an Arrow stream of input columns in, an Arrow stream of prediction, label,
// probability and raw_prediction out, scored column-wise (CompiledModel.scoreColumns).
import {
  DataType,
  Field,
  FixedSizeList,
  Float64,
  Precision,
  RecordBatch,
  Schema,
  Struct,
  Table,
  Utf8,
  makeData,
  tableFromIPC,
  tableToIPC,
  type Data,
  type Vector,
} from "apache-arrow";
import { RowError, type BatchResult } from "../model/index.js";
import { CodedStrings, NullableNumbers, type InputColumnData } from "../model/columns.js";
import { CODES, HttpError, Problems } from "./errors.js";
import { checkArrowIpc } from "../arrow-guard/index.js";
import { DEFAULT_LIMITS, type RequestLimits } from "./options.js";
import type { ServedVersion } from "./served.js";

export const ARROW_STREAM = "application/vnd.apache.arrow.stream";

type Column = InputColumnData;

// Scores an Arrow IPC body; answers the Arrow stream bytes, or throws HttpError with every problem.
export function predictArrow(v: ServedVersion, body: Uint8Array, limits: RequestLimits = DEFAULT_LIMITS): { bytes: Uint8Array; rows: number } {
  const table = readBody(body, limits, v);
  const { columns, rows } = columnsOf(v, table);
  let result: BatchResult;
  try {
    result = v.scorer.scoreColumns(columns, rows);
  } catch (err) {
    if (!(err instanceof RowError)) throw err;
    throw rowProblems(v, columns, rows); // the rare path: find every unscorable row
  }
  return { bytes: writeResult(v, result), rows };
}

// The request body as an Arrow table (stream or file format), or a 400/413 saying why it is not one. The body is
// checked whole (src/arrow-guard) before apache-arrow decodes it, so a hostile body costs time and memory in
// proportion to its size and the limits, never more.
function readBody(body: Uint8Array, limits: RequestLimits, v: ServedVersion): Table {
  if (body.byteLength === 0) throw new HttpError(400, CODES.badArrow, "the request has no body; send an Arrow IPC stream of the model's input columns");
  // bench/serve-arrow.mjs measures the check's cost against a server without it; nothing else turns it off.
  const verdict = process.env.MLSHIP_BENCH_UNCHECKED_ARROW === "1" ? null : checkArrowIpc(body, { maxRows: limits.maxRows, maxColumns: limits.maxColumns });
  if (verdict && !verdict.ok) {
    if (verdict.kind === "rows") throw new HttpError(413, CODES.tooManyRows, `the Arrow body holds ${verdict.reason}; this server takes at most ${limits.maxRows} per request (--max-rows): send smaller batches`);
    if (verdict.kind === "columns") throw new HttpError(413, CODES.tooManyColumns, `the Arrow body has ${verdict.reason} (--max-columns ${limits.maxColumns})`);
    throw new HttpError(400, CODES.badArrow, `the request body is not a valid Arrow IPC stream: ${verdict.reason}`);
  }
  // Each row's answer: prediction and label (8 bytes each, or the longest text label) and two lists of classes doubles.
  const labelBytes = v.labelsAreText ? 4 + Math.max(0, ...(v.labelJson ?? []).map((l) => Buffer.byteLength(l))) : 8;
  const rowBytes = 8 + labelBytes + 8 * v.classes * ((v.hasProbability ? 1 : 0) + (v.hasRawPrediction ? 1 : 0));
  if (verdict && verdict.rows * rowBytes > limits.maxOutputBytes)
    throw new HttpError(413, CODES.outputTooLarge, `${verdict.rows} rows would make an answer of about ${Math.ceil((verdict.rows * rowBytes) / 1024 ** 2)} MB, more than this server's --max-output of ${Math.floor(limits.maxOutputBytes / 1024 ** 2)} MB: send smaller batches`);
  let table: Table;
  try {
    table = tableFromIPC(body);
  } catch (err) {
    throw new HttpError(400, CODES.badArrow, `the request body is not a valid Arrow IPC stream: ${(err as Error).message}`);
  }
  if (table.schema.fields.length === 0) throw new HttpError(400, CODES.badArrow, "the request body is not a valid Arrow IPC stream: it has no schema");
  if (verdict && table.numRows !== verdict.rows) throw new HttpError(400, CODES.badArrow, `the request body is not a valid Arrow IPC stream: it decodes to ${table.numRows} rows, its batches claim ${verdict.rows}`);
  return table;
}

// The input columns by name in the model's terms (numbers or strings, null where missing); every problem at once.
function columnsOf(v: ServedVersion, table: Table): { columns: Record<string, Column>; rows: number } {
  const problems = new Problems();
  const schema = v.scorer.inputSchema;
  const names = table.schema.fields.map((f) => f.name);
  const seen = new Set<string>();
  for (const name of names) {
    if (seen.has(name)) problems.add(name, "sent twice; each input column once");
    seen.add(name);
    if (!v.inputNames.has(name)) problems.add(name, `unknown column: ${v.tag} takes only ${schema.map((c) => c.name).join(", ")}`);
  }
  const columns: Record<string, Column> = {};
  for (const c of schema) {
    const field = table.schema.fields.find((f) => f.name === c.name);
    if (!field) {
      problems.add(c.name, `is missing: send a column named "${c.name}" (${c.type === "double" ? "double" : "utf8"}, nullable)`);
      continue;
    }
    const vector = table.getChild(c.name)!;
    const column = c.type === "double" ? numbers(vector) : strings(vector);
    if (column === null) problems.add(c.name, `expected ${c.type === "double" ? "a numeric column (double, float or int)" : "a utf8 column (or a dictionary of utf8)"}, got ${String(field.type)}`);
    else columns[c.name] = column;
  }
  problems.throwIfAny(CODES.badInput, "the Arrow columns");
  if (table.numRows === 0) throw new HttpError(400, CODES.empty, "the Arrow stream has no rows; send at least one");
  return { columns, rows: table.numRows };
}

// A numeric column as a Float64Array (the Arrow buffer itself when it is one Float64 chunk without nulls),
// or as NullableNumbers when it has nulls; read from the typed buffers and validity bitmaps directly.
function numbers(vector: Vector): Column | null {
  const type = vector.type as DataType;
  if (!DataType.isFloat(type) && !DataType.isInt(type)) return null;
  const chunks = vector.data as Data[];
  if (chunks.length === 1 && chunks[0]!.nullCount === 0 && chunks[0]!.values instanceof Float64Array) {
    const d = chunks[0]!;
    return d.values.subarray(0, d.length);
  }
  const values = new Float64Array(vector.length);
  let nulls: Uint8Array | null = null;
  let at = 0;
  for (const d of chunks) {
    const raw = d.values as ArrayLike<number | bigint>;
    const plain = !(raw instanceof BigInt64Array || raw instanceof BigUint64Array) && !(DataType.isFloat(type) && type.precision === Precision.HALF);
    const bitmap = d.nullCount > 0 ? d.nullBitmap : null;
    for (let i = 0; i < d.length; i++, at++) {
      if (bitmap && bitmap.length > 0 && (bitmap[(d.offset + i) >> 3]! & (1 << ((d.offset + i) & 7))) === 0) {
        (nulls ??= new Uint8Array(vector.length))[at] = 1;
        values[at] = Number.NaN;
      } else if (plain) values[at] = raw[i] as number;
      else values[at] = Number(vector.get(at) as number | bigint); // Float16, 64-bit ints: Arrow's own conversion
    }
  }
  return nulls ? new NullableNumbers(values, nulls) : values;
}

// A utf8 (or dictionary-of-utf8) column as codes into its distinct values. Category values repeat, so each
// distinct byte string is decoded once: a hash of its bytes (4 at a time) finds it, checked byte for byte.
function strings(vector: Vector): Column | null {
  const type = vector.type as DataType;
  if (DataType.isDictionary(type)) return DataType.isUtf8(type.dictionary) ? dictionaryStrings(vector) : null;
  if (!DataType.isUtf8(type)) return null;
  const codes = new Int32Array(vector.length);
  const words: string[] = [];
  const byText = new Map<string, number>(); // across chunks, whose bytes live in different buffers
  let at = 0;
  for (const d of vector.data as Data[]) {
    const offsets = d.valueOffsets as Int32Array;
    const bytes = d.values as Uint8Array;
    const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const bitmap = d.nullCount > 0 && d.nullBitmap && d.nullBitmap.length > 0 ? d.nullBitmap : null;
    const seen = new ChunkWords(view, bytes);
    for (let i = 0; i < d.length; i++, at++) {
      const bit = d.offset + i;
      if (bitmap && (bitmap[bit >> 3]! & (1 << (bit & 7))) === 0) {
        codes[at] = -1;
        continue;
      }
      const start = offsets[i]!; // Arrow slices the offsets with the data, but not the validity bitmap
      const end = offsets[i + 1]!;
      let code = seen.find(start, end);
      if (code < 0) {
        const text = buf.toString("utf8", start, end);
        code = byText.get(text) ?? words.length;
        if (code === words.length) {
          words.push(text);
          byText.set(text, code);
        }
        seen.add(start, end, code);
      }
      codes[at] = code;
    }
  }
  return new CodedStrings(codes, words);
}

// The distinct byte strings of one utf8 chunk: an open-addressing table of hash -> (start, end, code).
class ChunkWords {
  private table = new Int32Array(64).fill(-1);
  private readonly starts: number[] = [];
  private readonly ends: number[] = [];
  private readonly codes: number[] = [];

  constructor(
    private readonly view: DataView,
    private readonly bytes: Uint8Array,
  ) {}

  // FNV-style over four bytes at a time (the last four overlap the previous ones when the length is not a multiple of 4).
  private hash(start: number, end: number): number {
    let h = Math.imul(0x811c9dc5 ^ (end - start), 0x01000193);
    if (end - start >= 4) {
      let b = start;
      for (; b + 4 <= end; b += 4) h = Math.imul(h ^ this.view.getInt32(b, true), 0x01000193);
      if (b < end) h = Math.imul(h ^ this.view.getInt32(end - 4, true), 0x01000193);
    } else for (let b = start; b < end; b++) h = Math.imul(h ^ this.bytes[b]!, 0x01000193);
    return h ^ (h >>> 15);
  }

  private same(k: number, start: number, end: number): boolean {
    let a = this.starts[k]!;
    const aEnd = this.ends[k]!;
    if (aEnd - a !== end - start) return false;
    if (aEnd - a < 4) {
      for (let b = start; a < aEnd; a++, b++) if (this.bytes[a] !== this.bytes[b]) return false;
      return true;
    }
    let b = start;
    for (; a + 4 <= aEnd; a += 4, b += 4) if (this.view.getInt32(a, true) !== this.view.getInt32(b, true)) return false;
    return a === aEnd || this.view.getInt32(aEnd - 4, true) === this.view.getInt32(end - 4, true);
  }

  // The code of bytes start..end, or -1 when this chunk has not had them yet.
  find(start: number, end: number): number {
    const mask = this.table.length - 1;
    for (let slot = this.hash(start, end) & mask; ; slot = (slot + 1) & mask) {
      const k = this.table[slot]!;
      if (k < 0) return -1;
      if (this.same(k, start, end)) return this.codes[k]!;
    }
  }

  add(start: number, end: number, code: number): void {
    if (2 * (this.starts.length + 1) > this.table.length) this.grow();
    const k = this.starts.length;
    this.starts.push(start);
    this.ends.push(end);
    this.codes.push(code);
    this.place(k);
  }

  private place(k: number): void {
    const mask = this.table.length - 1;
    let slot = this.hash(this.starts[k]!, this.ends[k]!) & mask;
    while (this.table[slot]! >= 0) slot = (slot + 1) & mask;
    this.table[slot] = k;
  }

  private grow(): void {
    this.table = new Int32Array(this.table.length * 2).fill(-1);
    for (let k = 0; k < this.starts.length; k++) this.place(k);
  }
}

// A dictionary column: its keys are the codes (-1 where null), its dictionary the words.
function dictionaryStrings(vector: Vector): Column {
  const codes = new Int32Array(vector.length);
  const words: (string | null)[] = [];
  const byText = new Map<string | null, number>();
  let at = 0;
  for (const d of vector.data as Data[]) {
    const dict = d.dictionary!;
    const local = new Int32Array(dict.length);
    for (let k = 0; k < dict.length; k++) {
      const w = (dict.get(k) as string | null) ?? null;
      let code = byText.get(w);
      if (code === undefined) {
        code = words.length;
        words.push(w);
        byText.set(w, code);
      }
      local[k] = code;
    }
    const keys = d.values as ArrayLike<number | bigint>;
    const bitmap = d.nullCount > 0 && d.nullBitmap && d.nullBitmap.length > 0 ? d.nullBitmap : null;
    for (let i = 0; i < d.length; i++, at++) {
      const bit = d.offset + i;
      codes[at] = bitmap && (bitmap[bit >> 3]! & (1 << (bit & 7))) === 0 ? -1 : local[Number(keys[i])]!;
    }
  }
  return new CodedStrings(codes, words);
}

// Scores row by row to name every row that cannot be scored, as a 400.
function rowProblems(v: ServedVersion, columns: Record<string, Column>, rows: number): HttpError {
  const schema = v.scorer.inputSchema;
  const cols = schema.map((c) => {
    const col = columns[c.name]!;
    return col instanceof CodedStrings || col instanceof NullableNumbers ? col.toArray() : col;
  });
  const values = new Array(schema.length);
  const problems = new Problems();
  for (let r = 0; r < rows; r++) {
    for (let i = 0; i < cols.length; i++) values[i] = cols[i]![r];
    try {
      v.scorer.scoreValues(values);
    } catch (err) {
      if (!(err instanceof RowError)) throw err;
      problems.add(err.field, `row ${r}: ${err.message.slice(err.field.length + 2)}`);
    }
  }
  try {
    problems.throwIfAny(CODES.badInput, "rows");
  } catch (err) {
    return err as HttpError;
  }
  return new HttpError(400, CODES.badInput, "a row cannot be scored");
}

const item = () => new Field("item", new Float64(), false);

// The answer as an Arrow IPC stream: prediction, label, and for classifiers probability and raw_prediction (fixed-size lists).
function writeResult(v: ServedVersion, result: BatchResult): Uint8Array {
  const rows = result.rows;
  const fields: Field[] = [];
  const children: Data[] = [];
  const add = (name: string, data: Data) => {
    fields.push(new Field(name, data.type, false));
    children.push(data);
  };
  add("prediction", makeData({ type: new Float64(), length: rows, data: result.prediction }));
  // (a copy: Arrow's IPC writer drops a buffer that two columns share)
  add("label", v.labelJson && v.labelsAreText ? textLabels(v, result.prediction) : makeData({ type: new Float64(), length: rows, data: result.prediction.slice() }));
  const list = (values: Float64Array) =>
    makeData({ type: new FixedSizeList(result.width, item()), length: rows, child: makeData({ type: new Float64(), length: values.length, data: values }) });
  // Each output the model has (linear_svc: raw_prediction without probability).
  if (result.width && result.probability) add("probability", list(result.probability));
  if (result.width && result.rawPrediction) add("raw_prediction", list(result.rawPrediction));
  const schema = new Schema(fields, new Map([["mlship.model_version", v.tag]]));
  const batch = new RecordBatch(schema, makeData({ type: new Struct(fields), length: rows, children }));
  return tableToIPC(new Table([batch]), "stream");
}

// The text label of each prediction as a utf8 column (each class's bytes encoded once).
function textLabels(v: ServedVersion, prediction: Float64Array): Data {
  const values = v.scorer.descriptor.label.values!;
  const encoded = values.map((x) => Buffer.from(String(x), "utf8"));
  const offsets = new Int32Array(prediction.length + 1);
  let size = 0;
  for (let r = 0; r < prediction.length; r++) {
    size += encoded[prediction[r]!]?.length ?? 0;
    offsets[r + 1] = size;
  }
  const data = new Uint8Array(size);
  for (let r = 0; r < prediction.length; r++) {
    const e = encoded[prediction[r]!];
    if (e) data.set(e, offsets[r]!);
  }
  return makeData({ type: new Utf8(), length: prediction.length, valueOffsets: offsets, data });
}
