// Open Inference Protocol v2 (KServe/Triton): infer requests as named tensors, one per input column.
import { RowError, type Value } from "../../model/index.js";
import { CODES, HttpError, Problems, describeValue, isObject } from "./errors.js";
import { numList } from "./json.js";
import { labelText, type ServedVersion } from "../runtime/served.js";
import { UnseenCounts, castColumn } from "./inputs.js";
import { DEFAULT_POLICY, type InputPolicy } from "../runtime/options.js";
import type { InputRule } from "../../model/input/contract.js";
import { inputsMetadata } from "../../model/input/metadata.js";

// Datatypes a double input accepts (all sent as JSON numbers); string inputs take BYTES.
const NUMERIC = new Set(["FP64", "FP32", "FP16", "INT8", "INT16", "INT32", "INT64", "UINT8", "UINT16", "UINT32", "UINT64"]);
const TENSOR_KEYS = new Set(["name", "shape", "datatype", "data", "parameters"]);
const REQUEST_KEYS = new Set(["id", "parameters", "inputs", "outputs"]);
export const OUTPUT_NAMES = ["prediction", "label", "probability", "raw_prediction"] as const;
type OutputName = (typeof OUTPUT_NAMES)[number];

interface Parsed {
  id: string | undefined;
  rows: number;
  columns: Value[][]; // in input-schema order, cast by the input contract
  bad: Uint8Array; // rows with a refused value (scored only when on_invalid=skip leaves them out)
  outputs: ReadonlySet<OutputName>;
  unseen: UnseenCounts;
  refused: RowProblem[]; // values the input contract refused (only with on_invalid=skip; fail throws)
}

// A row that cannot be scored, as on_invalid=skip names it.
interface RowProblem {
  row: number;
  field: string;
  reason: string;
}

// Answers an infer request body with the response JSON text; throws HttpError with every problem. With
// on_invalid=skip, rows that cannot be scored are left out of the outputs and named in parameters.
export function infer(v: ServedVersion, body: unknown, policy: InputPolicy = DEFAULT_POLICY): { text: string; rows: number; skipped: number; unseen: UnseenCounts } {
  const skip = policy.onInvalid === "skip";
  const req = parseRequest(v, body, policy);
  const { columns, bad } = req;
  const k = v.classes;
  const problems = new Problems();
  const invalid: RowProblem[] = [...req.refused];
  const kept: number[] = [];
  const predictions = new Float64Array(req.rows);
  const probability = v.hasProbability ? new Float64Array(req.rows * k) : null;
  const raw = v.hasRawPrediction ? new Float64Array(req.rows * k) : null;
  const values: Value[] = new Array(columns.length);
  for (let r = 0; r < req.rows; r++) {
    if (bad[r]) continue;
    for (let c = 0; c < columns.length; c++) values[c] = columns[c]![r]!;
    try {
      const p = v.scorer.scoreValues(values);
      const n = kept.length;
      predictions[n] = p.prediction;
      if (probability && p.probability) probability.set(p.probability, n * k);
      if (raw && p.rawPrediction) raw.set(p.rawPrediction, n * k);
      kept.push(r);
    } catch (err) {
      if (!(err instanceof RowError)) throw err;
      const reason = err.message.slice(err.field.length + 2);
      if (skip) invalid.push({ row: r, field: err.field, reason });
      else problems.add(err.field, `row ${r}: ${reason}`);
    }
  }
  problems.throwIfAny(CODES.badInput, "inputs");
  const rows = kept.length;
  const parts: string[] = [];
  const want = req.outputs;
  if (want.has("prediction")) parts.push(tensor("prediction", `[${rows}]`, "FP64", numList(predictions.subarray(0, rows))));
  if (want.has("label")) {
    let data = "[";
    for (let r = 0; r < rows; r++) data += r === 0 ? labelText(v, predictions[r]!) : `,${labelText(v, predictions[r]!)}`;
    parts.push(tensor("label", `[${rows}]`, v.labelsAreText ? "BYTES" : "FP64", `${data}]`));
  }
  if (probability && want.has("probability")) parts.push(tensor("probability", `[${rows},${k}]`, "FP64", numList(probability.subarray(0, rows * k))));
  if (raw && want.has("raw_prediction")) parts.push(tensor("raw_prediction", `[${rows},${k}]`, "FP64", numList(raw.subarray(0, rows * k))));
  const id = req.id === undefined ? "" : `,"id":${JSON.stringify(req.id)}`;
  const params = skip ? `,"parameters":{"rows":${JSON.stringify(kept)},"invalid":${JSON.stringify(invalid)}}` : "";
  const skipped = req.rows - rows;
  return { text: `${v.oipHead}${id}${params},"outputs":[${parts.join(",")}]}`, rows: req.rows, skipped, unseen: req.unseen };
}

const tensor = (name: string, shape: string, datatype: string, data: string) =>
  `{"name":"${name}","shape":${shape},"datatype":"${datatype}","data":${data}}`;

// The output tensors a version has (no probabilities for regression and clustering, no probability for linear_svc).
export function outputNames(v: ServedVersion): OutputName[] {
  return OUTPUT_NAMES.filter((name) => (name === "probability" ? v.hasProbability : name === "raw_prediction" ? v.hasRawPrediction : true));
}

// Checks an infer request against the version's inputs; collects every problem before throwing.
function parseRequest(v: ServedVersion, body: unknown, policy: InputPolicy): Parsed {
  const shape = 'the body must be an Open Inference Protocol request like {"inputs": [{"name", "shape", "datatype", "data"}, ...]}';
  if (body === undefined) throw new HttpError(400, CODES.badJson, `the request has no body; ${shape}`);
  if (!isObject(body)) throw new HttpError(400, CODES.badRequest, `${shape}, got ${describeValue(body)}`);
  const problems = new Problems();
  for (const key in body) if (!REQUEST_KEYS.has(key)) problems.add(key, "unknown field; a request has id, parameters, inputs and outputs");
  if (body.id !== undefined && typeof body.id !== "string") problems.add("id", `expected a string, got ${describeValue(body.id)}`);
  if (body.parameters !== undefined && !isObject(body.parameters)) problems.add("parameters", `expected an object, got ${describeValue(body.parameters)}`);
  const outputs = parseOutputs(v, body.outputs, problems);
  const inputs = body.inputs;
  if (!Array.isArray(inputs)) {
    problems.add("inputs", inputs === undefined ? "is missing" : `expected a list of tensors, got ${describeValue(inputs)}`);
  }
  problems.throwIfAny(CODES.badRequest, "the request body");

  const schema = v.scorer.inputSchema;
  const rules = v.scorer.inputRules(policy.mode);
  const raw: unknown[][] = new Array(schema.length);
  const sent = new Set<number>();
  let rows = -1;
  (inputs as unknown[]).forEach((t, i) => {
    const at = `inputs[${i}]`;
    if (!isObject(t)) return problems.add(at, `expected a tensor {"name", "shape", "datatype", "data"}, got ${describeValue(t)}`);
    for (const key in t) if (!TENSOR_KEYS.has(key)) problems.add(`${at}.${key}`, "unknown field; a tensor has name, shape, datatype, data and parameters");
    if (typeof t.name !== "string") return problems.add(`${at}.name`, t.name === undefined ? "is missing" : `expected a string, got ${describeValue(t.name)}`);
    const col = schema.findIndex((c) => c.name === t.name);
    if (col < 0) return problems.add(t.name, `unknown input: ${v.tag} takes only ${schema.map((c) => c.name).join(", ")}`);
    if (sent.has(col)) return problems.add(t.name, `sent twice (again as ${at})`);
    sent.add(col);
    const data = checkTensor(t, at, rules[col]!, policy.mode === "strict", problems);
    if (!data) return;
    raw[col] = data;
    if (rows < 0) rows = data.length;
    else if (data.length !== rows) problems.add(`${at}.shape`, `${t.name} has ${data.length} rows, the inputs before it ${rows}`);
  });
  schema.forEach((c, i) => sent.has(i) || problems.add(c.name, `is missing: send a tensor named "${c.name}" (${c.type === "double" ? "FP64" : "BYTES"})`));
  problems.throwIfAny(CODES.badInput, "inputs");
  if (rows === 0) throw new HttpError(400, CODES.empty, "the input tensors have no rows; send at least one");
  // Values through the input contract: every refused value named; with on_invalid=skip its row is left out.
  const bad = new Uint8Array(rows);
  const unseen = new UnseenCounts();
  const refused: RowProblem[] = [];
  const columns = rules.map((rule, i) => castColumn(rule, raw[i]!, bad, unseen, (row, reason) => refused.push({ row, field: rule.column.name, reason })));
  if (policy.onInvalid === "fail") {
    for (const p of refused) problems.add(p.field, `row ${p.row}: ${p.reason}`);
    problems.throwIfAny(CODES.badInput, "inputs");
  }
  return { id: body.id as string | undefined, rows, columns, bad, outputs, unseen, refused };
}

// The data of one input tensor when its datatype and shape fit the column, else null. Strict inputs take FP64
// (or another numeric datatype) for numeric inputs and BYTES for categorical ones; lenient takes either, and
// the input contract casts each value.
function checkTensor(t: Record<string, unknown>, at: string, rule: InputRule, strict: boolean, problems: Problems): unknown[] | null {
  const name = t.name as string;
  const before = problems.total;
  const numeric = rule.column.type === "double";
  const want = numeric ? "FP64" : "BYTES";
  const fits = (d: unknown) => (typeof d === "string" && (d === "BYTES" || NUMERIC.has(d) || (!strict && d === "BOOL")) && (!strict || (numeric ? d !== "BYTES" : d === "BYTES")));
  if (t.datatype === undefined) problems.add(`${at}.datatype`, `is missing: ${name} takes ${want}`);
  else if (!fits(t.datatype)) problems.add(`${at}.datatype`, `${name} takes ${want}${strict ? "" : " (or a type the input contract casts)"}, got ${describeValue(t.datatype)}`);
  if (t.parameters !== undefined && !isObject(t.parameters)) problems.add(`${at}.parameters`, `expected an object, got ${describeValue(t.parameters)}`);
  const shape = t.shape;
  const shapeOk =
    Array.isArray(shape) && (shape.length === 1 || (shape.length === 2 && shape[1] === 1)) && Number.isInteger(shape[0]) && (shape[0] as number) >= 0;
  if (!shapeOk) problems.add(`${at}.shape`, `expected [rows] or [rows, 1], got ${shape === undefined ? "nothing" : JSON.stringify(shape)}`);
  const data = t.data;
  if (!Array.isArray(data)) {
    problems.add(`${at}.data`, data === undefined ? "is missing" : `expected a flat list of values, got ${describeValue(data)}`);
    return null;
  }
  if (shapeOk && (shape as number[])[0] !== data.length) problems.add(`${at}.data`, `has ${data.length} values, the shape says ${(shape as number[])[0]}`);
  return problems.total === before ? data : null;
}

function parseOutputs(v: ServedVersion, outputs: unknown, problems: Problems): ReadonlySet<OutputName> {
  const all = outputNames(v);
  if (outputs === undefined) return new Set(all);
  if (!Array.isArray(outputs)) {
    problems.add("outputs", `expected a list like [{"name": "probability"}], got ${describeValue(outputs)}`);
    return new Set();
  }
  const chosen = new Set<OutputName>();
  outputs.forEach((o, i) => {
    const name = isObject(o) ? o.name : undefined;
    if (typeof name === "string" && (all as string[]).includes(name)) chosen.add(name as OutputName);
    else problems.add(`outputs[${i}]`, `unknown output ${describeValue(isObject(o) ? o.name : o)}; ${v.tag} has ${all.join(", ")}`);
  });
  return chosen.size ? chosen : new Set(all);
}

// Model metadata (GET /v2/models/{m}[/versions/{v}]).
export function modelMetadata(v: ServedVersion, versions: number[], alias: string | null): unknown {
  const k = v.classes;
  const d = v.scorer.descriptor;
  return {
    name: v.model,
    versions: versions.map(String),
    platform: "mlship",
    // OIP's tensor metadata, plus parameters: the role, the training column's type, a categorical input's levels.
    inputs: inputsMetadata(v.scorer).map((i) => ({
      name: i.name,
      datatype: i.type === "double" ? "FP64" : "BYTES",
      shape: [-1],
      parameters: { role: i.role, sparkType: i.sparkType, ...(i.levels ? { levels: i.levels } : {}) },
    })),
    outputs: outputNames(v).map((name) => ({
      name,
      datatype: name === "label" && v.labelsAreText ? "BYTES" : "FP64",
      shape: name === "probability" || name === "raw_prediction" ? [-1, k] : [-1],
    })),
    parameters: {
      version: v.version,
      alias,
      algorithm: d.algorithm,
      task: d.task,
      labels: d.label.values,
      sparkVersion: d.sparkVersion ?? null,
      createdAt: v.record.createdAt,
      loadedAt: v.loadedAt,
    },
  };
}
