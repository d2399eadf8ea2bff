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
} from "apache-arrow";
import { RowError, type BatchResult } from "../../model/index.js";
import { CodedStrings, NullableNumbers, type InputColumnData } from "../../model/columns.js";
import { CODES, HttpError, Problems, type FieldProblem } from "./errors.js";
import { checkArrowIpc } from "../../arrow-guard/index.js";
import type { ServedVersion } from "../runtime/served.js";
import { UnseenCounts } from "./inputs.js";
import { DEFAULT_LIMITS, DEFAULT_POLICY, type InputPolicy, type RequestLimits } from "../runtime/options.js";
import { castValues, castWords, checkNumbers, type Refusals } from "./arrow-cast.js";
import { castable, numbers, plainValues, strings } from "./arrow-columns.js";

export const ARROW_STREAM = "application/vnd.apache.arrow.stream";

type Column = InputColumnData;

export interface ArrowAnswer {
  bytes: Uint8Array;
  rows: number;
  skipped: number; // rows answered with nulls (on_invalid=skip)
  unseen: UnseenCounts;
}

// Scores an Arrow IPC body through the input contract; answers the Arrow stream bytes, or throws HttpError
// with every problem. With on_invalid=skip, rows that cannot be scored get null outputs and are named in the
// answer's schema metadata (mlship.invalid).
export function predictArrow(v: ServedVersion, body: Uint8Array, policy: InputPolicy = DEFAULT_POLICY, limits: RequestLimits = DEFAULT_LIMITS): ArrowAnswer {
  const table = readBody(body, limits, v);
  const skip = policy.onInvalid === "skip";
  const { columns, rows, refusals, unseen } = columnsOf(v, table, policy);
  const invalid = refusals.problems;
  let bad: Uint8Array | null = invalid.total > 0 ? refusals.bad : null;
  let result: BatchResult;
  try {
    result = bad ? scoreValidRows(v, columns, rows, bad) : v.scorer.scoreColumns(columns, rows);
  } catch (err) {
    if (!(err instanceof RowError)) throw err;
    const found = rowProblems(v, columns, rows, bad); // the rare path: find every unscorable row
    if (!skip) throw found.error;
    bad = found.bad;
    for (const p of found.problems.list) invalid.add(p.field, p.reason);
    result = scoreValidRows(v, columns, rows, bad);
  }
  const skipped = bad ? countOnes(bad) : 0;
  return { bytes: writeResult(v, result, bad, invalid.list), rows, skipped, unseen };
}

// Scores the rows not marked bad and spreads their outputs back to their rows (bad rows stay NaN, and null).
function scoreValidRows(v: ServedVersion, columns: Record<string, Column>, rows: number, bad: Uint8Array): BatchResult {
  const keep: number[] = [];
  for (let r = 0; r < rows; r++) if (!bad[r]) keep.push(r);
  const sub: Record<string, Column> = {};
  for (const name in columns) sub[name] = pick(columns[name]!, keep);
  const k = v.classes;
  const out: BatchResult = { rows, width: k, prediction: new Float64Array(rows).fill(Number.NaN) };
  if (v.hasProbability) out.probability = new Float64Array(rows * k).fill(Number.NaN);
  if (v.hasRawPrediction) out.rawPrediction = new Float64Array(rows * k).fill(Number.NaN);
  if (keep.length === 0) return out;
  const part = v.scorer.scoreColumns(sub, keep.length);
  keep.forEach((r, i) => {
    out.prediction[r] = part.prediction[i]!;
    if (out.probability && part.probability) out.probability.set(part.probability.subarray(i * k, i * k + k), r * k);
    if (out.rawPrediction && part.rawPrediction) out.rawPrediction.set(part.rawPrediction.subarray(i * k, i * k + k), r * k);
  });
  return out;
}

// The given rows of a column, in the same form.
function pick(col: Column, rows: readonly number[]): Column {
  if (col instanceof CodedStrings) return new CodedStrings(Int32Array.from(rows, (r) => col.codes[r]!), col.words);
  if (col instanceof NullableNumbers) return new NullableNumbers(Float64Array.from(rows, (r) => col.values[r]!), Uint8Array.from(rows, (r) => col.nulls[r]!));
  if (col instanceof Float64Array) return Float64Array.from(rows, (r) => col[r]!);
  return rows.map((r) => col[r]!);
}

function countOnes(flags: Uint8Array): number {
  let n = 0;
  for (let i = 0; i < flags.length; i++) n += flags[i]!;
  return n;
}

// The request body as an Arrow table (stream or file format), or a 400/413 saying why it is not one. The body is
// checked whole (src/arrow-guard) before apache-arrow decodes it, so a hostile body costs time and memory in
// proportion to its size and the limits, never more.
function readBody(body: Uint8Array, limits: RequestLimits, v: ServedVersion): Table {
  if (body.byteLength === 0) throw new HttpError(400, CODES.badArrow, "the request has no body; send an Arrow IPC stream of the model's input columns");
  const verdict = limits.uncheckedArrow ? null : checkArrowIpc(body, { maxRows: limits.maxRows, maxColumns: limits.maxColumns });
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

// The input columns by name in the model's terms (numbers or strings, null where missing), cast by the input
// contract; every problem at once. Values the contract refuses are refused with the batch (on_invalid=fail) or
// marked in `refusals.bad` (skip).
function columnsOf(v: ServedVersion, table: Table, policy: InputPolicy): { columns: Record<string, Column>; rows: number; refusals: Refusals; unseen: UnseenCounts } {
  const problems = new Problems();
  const schema = v.scorer.inputSchema;
  const rules = v.scorer.inputRules(policy.mode);
  const strict = policy.mode === "strict";
  const names = table.schema.fields.map((f) => f.name);
  const seen = new Set<string>();
  for (const name of names) {
    if (seen.has(name)) problems.add(name, "sent twice; each input column once");
    seen.add(name);
    if (strict && !v.inputNames.has(name)) problems.add(name, `unknown column: ${v.tag} takes only ${schema.map((c) => c.name).join(", ")} (strict inputs)`);
  }
  const rows = table.numRows;
  const refusals: Refusals = { problems: new Problems(), bad: new Uint8Array(rows) };
  const unseen = new UnseenCounts();
  const columns: Record<string, Column> = {};
  for (const rule of rules) {
    const c = rule.column;
    const field = table.schema.fields.find((f) => f.name === c.name);
    if (!field) {
      problems.add(c.name, `is missing: send a column named "${c.name}" (${c.type === "double" ? "double" : "utf8"}, nullable)`);
      continue;
    }
    const vector = table.getChild(c.name)!;
    const own = c.type === "double" ? numbers(vector) : strings(vector);
    let column: Column | null = null;
    if (own instanceof CodedStrings) column = castWords(rule, own, refusals, unseen);
    else if (own) {
      checkNumbers(rule, own as Float64Array | NullableNumbers, rows, refusals);
      column = own;
    } else if (!strict && castable(vector.type as DataType)) {
      column = castValues(rule, plainValues(vector), refusals, unseen);
    }
    if (column === null) {
      const want = c.type === "double" ? "a numeric column (double, float or int)" : "a utf8 column (or a dictionary of utf8)";
      problems.add(c.name, `expected ${want}${strict ? " (strict inputs)" : ", or one the input contract casts (numbers, text, booleans)"}, got ${String(field.type)}`);
    } else columns[c.name] = column;
  }
  if (problems.total > 0) for (const p of refusals.problems.list) problems.add(p.field, p.reason); // every problem at once
  problems.throwIfAny(CODES.badInput, "the Arrow columns");
  if (rows === 0) throw new HttpError(400, CODES.empty, "the Arrow stream has no rows; send at least one");
  if (policy.onInvalid === "fail") refusals.problems.throwIfAny(CODES.badInput, "the Arrow columns");
  return { columns, rows, refusals, unseen };
}

// Scores row by row to name every row that cannot be scored: the problems, the rows, and the 400 to answer.
// Rows already in `known` (refused by the input contract) are left as they are.
function rowProblems(v: ServedVersion, columns: Record<string, Column>, rows: number, known: Uint8Array | null = null): { problems: Problems; bad: Uint8Array; error: HttpError } {
  const schema = v.scorer.inputSchema;
  const cols = schema.map((c) => {
    const col = columns[c.name]!;
    return col instanceof CodedStrings || col instanceof NullableNumbers ? col.toArray() : col;
  });
  const values = new Array(schema.length);
  const problems = new Problems();
  const bad = known ? known.slice() : new Uint8Array(rows);
  for (let r = 0; r < rows; r++) {
    if (bad[r]) continue;
    for (let i = 0; i < cols.length; i++) values[i] = cols[i]![r];
    try {
      v.scorer.scoreValues(values);
    } catch (err) {
      if (!(err instanceof RowError)) throw err;
      problems.add(err.field, `row ${r}: ${err.message.slice(err.field.length + 2)}`);
      bad[r] = 1;
    }
  }
  let error = new HttpError(400, CODES.badInput, "a row cannot be scored");
  try {
    problems.throwIfAny(CODES.badInput, "rows");
  } catch (err) {
    error = err as HttpError;
  }
  return { problems, bad, error };
}

const item = () => new Field("item", new Float64(), false);

// The answer as an Arrow IPC stream: prediction, label, and for classifiers probability and raw_prediction
// (fixed-size lists). Rows marked in `bad` are null in every output; `invalid` names them in the metadata.
function writeResult(v: ServedVersion, result: BatchResult, bad: Uint8Array | null, invalid: readonly FieldProblem[]): Uint8Array {
  const rows = result.rows;
  const validity = bad ? validityOf(bad) : null;
  const fields: Field[] = [];
  const children: Data[] = [];
  const add = (name: string, data: Data) => {
    fields.push(new Field(name, data.type, validity !== null));
    children.push(data);
  };
  const nullable = validity ? { nullBitmap: validity.bitmap, nullCount: validity.nulls } : {};
  add("prediction", makeData({ type: new Float64(), length: rows, data: result.prediction, ...nullable }));
  // (a copy: Arrow's IPC writer drops a buffer that two columns share)
  add(
    "label",
    v.labelJson && v.labelsAreText ? textLabels(v, result.prediction, validity) : makeData({ type: new Float64(), length: rows, data: result.prediction.slice(), ...nullable }),
  );
  const list = (values: Float64Array) =>
    makeData({ type: new FixedSizeList(result.width, item()), length: rows, child: makeData({ type: new Float64(), length: values.length, data: values }), ...nullable });
  // Each output the model has (linear_svc: raw_prediction without probability).
  if (result.width && result.probability) add("probability", list(result.probability));
  if (result.width && result.rawPrediction) add("raw_prediction", list(result.rawPrediction));
  const metadata = new Map([["mlship.model_version", v.tag]]);
  if (bad) metadata.set("mlship.invalid", JSON.stringify(invalid));
  const schema = new Schema(fields, metadata);
  const batch = new RecordBatch(schema, makeData({ type: new Struct(fields), length: rows, children }));
  return tableToIPC(new Table([batch]), "stream");
}

// An Arrow validity bitmap (1 = valid) from the rows marked bad.
function validityOf(bad: Uint8Array): { bitmap: Uint8Array; nulls: number } {
  const bitmap = new Uint8Array((bad.length + 7) >> 3);
  let nulls = 0;
  for (let r = 0; r < bad.length; r++) {
    if (bad[r]) nulls++;
    else bitmap[r >> 3]! |= 1 << (r & 7);
  }
  return { bitmap, nulls };
}

// The text label of each prediction as a utf8 column (each class's bytes encoded once).
function textLabels(v: ServedVersion, prediction: Float64Array, validity: { bitmap: Uint8Array; nulls: number } | null): Data {
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
  const nullable = validity ? { nullBitmap: validity.bitmap, nullCount: validity.nulls } : {};
  return makeData({ type: new Utf8(), length: prediction.length, valueOffsets: offsets, data, ...nullable });
}
