// Arrow IPC batches: an Arrow stream of input columns in, an Arrow stream of prediction, label,
// probability and raw_prediction out, scored column-wise (CompiledModel.scoreColumns).
import {
  DataType,
  Field,
  FixedSizeList,
  Float64,
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
import { CODES, HttpError, Problems } from "./errors.js";
import type { ServedVersion } from "./served.js";

export const ARROW_STREAM = "application/vnd.apache.arrow.stream";

type Column = ArrayLike<number | string | null>;

// Scores an Arrow IPC body; answers the Arrow stream bytes, or throws HttpError with every problem.
export function predictArrow(v: ServedVersion, body: Uint8Array): { bytes: Uint8Array; rows: number } {
  const table = readBody(body);
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

// The request body as an Arrow table (stream or file format), or a 400 saying why it is not one.
function readBody(body: Uint8Array): Table {
  if (body.byteLength === 0) throw new HttpError(400, CODES.badArrow, "the request has no body; send an Arrow IPC stream of the model's input columns");
  let table: Table;
  try {
    table = tableFromIPC(body);
  } catch (err) {
    throw new HttpError(400, CODES.badArrow, `the request body is not a valid Arrow IPC stream: ${(err as Error).message}`);
  }
  if (table.schema.fields.length === 0) throw new HttpError(400, CODES.badArrow, "the request body is not a valid Arrow IPC stream: it has no schema");
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

// A numeric column as numbers (null where null); the Float64 buffer itself when it is one chunk without nulls.
function numbers(vector: Vector): Column | null {
  const type = vector.type as DataType;
  if (!DataType.isFloat(type) && !DataType.isInt(type)) return null;
  const chunks = vector.data as Data[];
  if (chunks.length === 1 && chunks[0]!.nullCount === 0 && chunks[0]!.values instanceof Float64Array) return chunks[0]!.values;
  const out: (number | null)[] = new Array(vector.length);
  let at = 0;
  for (const d of chunks) {
    const values = d.values as ArrayLike<number | bigint>;
    const plain = values instanceof Float64Array || values instanceof Float32Array || values instanceof Int32Array || values instanceof Int16Array || values instanceof Int8Array || values instanceof Uint32Array || values instanceof Uint16Array || values instanceof Uint8Array;
    for (let i = 0; i < d.length; i++) {
      if (d.nullCount > 0 && !isValid(d, i)) out[at++] = null;
      else if (plain) out[at++] = values[i] as number;
      else {
        const x = (vector.get(at) as number | bigint | null) ?? null; // Float16, 64-bit ints: Arrow's own conversion
        out[at++] = x === null ? null : Number(x);
      }
    }
  }
  return out;
}

// A utf8 (or dictionary-of-utf8) column as strings, null where null. Category values repeat, so each
// distinct byte string is decoded once (a hash of its bytes, checked byte by byte on a hit).
function strings(vector: Vector): Column | null {
  const type = vector.type as DataType;
  if (DataType.isDictionary(type)) return DataType.isUtf8(type.dictionary) ? dictionaryStrings(vector) : null;
  if (!DataType.isUtf8(type)) return null;
  const out: (string | null)[] = new Array(vector.length);
  let at = 0;
  for (const d of vector.data as Data[]) {
    const offsets = d.valueOffsets as Int32Array;
    const bytes = d.values as Uint8Array;
    const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const cache = new Map<number, { text: string; start: number; end: number }>();
    for (let i = 0; i < d.length; i++) {
      if (d.nullCount > 0 && !isValid(d, i)) {
        out[at++] = null;
        continue;
      }
      const start = offsets[d.offset + i]!;
      const end = offsets[d.offset + i + 1]!;
      let hash = 0x811c9dc5 ^ (end - start);
      for (let b = start; b < end; b++) hash = Math.imul(hash ^ bytes[b]!, 0x01000193);
      const hit = cache.get(hash);
      if (hit && sameBytes(bytes, hit.start, hit.end, start, end)) {
        out[at++] = hit.text;
        continue;
      }
      const text = buf.toString("utf8", start, end);
      if (!hit) cache.set(hash, { text, start, end });
      out[at++] = text;
    }
  }
  return out;
}

function sameBytes(bytes: Uint8Array, a: number, aEnd: number, b: number, bEnd: number): boolean {
  if (aEnd - a !== bEnd - b) return false;
  for (; a < aEnd; a++, b++) if (bytes[a] !== bytes[b]) return false;
  return true;
}

function dictionaryStrings(vector: Vector): Column {
  const out: (string | null)[] = new Array(vector.length);
  let at = 0;
  for (const d of vector.data as Data[]) {
    const dict = d.dictionary!;
    const words: (string | null)[] = new Array(dict.length);
    for (let k = 0; k < dict.length; k++) words[k] = (dict.get(k) as string | null) ?? null;
    const keys = d.values as ArrayLike<number | bigint>;
    for (let i = 0; i < d.length; i++) out[at++] = d.nullCount > 0 && !isValid(d, i) ? null : words[Number(keys[i])]!;
  }
  return out;
}

// Whether slot i of a chunk is not null (Arrow's validity bitmap, LSB first).
function isValid(d: Data, i: number): boolean {
  const bitmap = d.nullBitmap;
  if (!bitmap || bitmap.length === 0) return true;
  const bit = d.offset + i;
  return (bitmap[bit >> 3]! & (1 << (bit & 7))) !== 0;
}

// Scores row by row to name every row that cannot be scored, as a 400.
function rowProblems(v: ServedVersion, columns: Record<string, Column>, rows: number): HttpError {
  const schema = v.scorer.inputSchema;
  const cols = schema.map((c) => columns[c.name]!);
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
