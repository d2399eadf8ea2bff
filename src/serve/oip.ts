// Open Inference Protocol v2 (KServe/Triton): infer requests as named tensors, one per input column.
import { RowError, type Value } from "../model/index.js";
import { CODES, HttpError, Problems, describeValue, isObject } from "./errors.js";
import { numList } from "./json.js";
import { labelText, type ServedVersion } from "./served.js";

// Datatypes a double input accepts (all sent as JSON numbers); string inputs take BYTES.
const NUMERIC = new Set(["FP64", "FP32", "FP16", "INT8", "INT16", "INT32", "INT64", "UINT8", "UINT16", "UINT32", "UINT64"]);
const TENSOR_KEYS = new Set(["name", "shape", "datatype", "data", "parameters"]);
const REQUEST_KEYS = new Set(["id", "parameters", "inputs", "outputs"]);
export const OUTPUT_NAMES = ["prediction", "label", "probability", "raw_prediction"] as const;
type OutputName = (typeof OUTPUT_NAMES)[number];

interface Parsed {
  id: string | undefined;
  rows: number;
  columns: unknown[][]; // in input-schema order
  outputs: ReadonlySet<OutputName>;
}

// Answers an infer request body with the response JSON text; throws HttpError with every problem.
export function infer(v: ServedVersion, body: unknown): { text: string; rows: number } {
  const req = parseRequest(v, body);
  const { rows, columns } = req;
  const k = v.classes;
  const prediction = new Float64Array(rows);
  const probability = v.hasProbability ? new Float64Array(rows * k) : null;
  const raw = v.hasRawPrediction ? new Float64Array(rows * k) : null;
  const values: Value[] = new Array(columns.length);
  const problems = new Problems();
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < columns.length; c++) values[c] = columns[c]![r] as Value;
    try {
      const p = v.scorer.scoreValues(values);
      prediction[r] = p.prediction;
      if (probability && p.probability) probability.set(p.probability, r * k);
      if (raw && p.rawPrediction) raw.set(p.rawPrediction, r * k);
    } catch (err) {
      if (!(err instanceof RowError)) throw err;
      problems.add(err.field, `row ${r}: ${err.message.slice(err.field.length + 2)}`);
    }
  }
  problems.throwIfAny(CODES.badInput, "inputs");

  const parts: string[] = [];
  const want = req.outputs;
  if (want.has("prediction")) parts.push(tensor("prediction", `[${rows}]`, "FP64", numList(prediction)));
  if (want.has("label")) {
    let data = "[";
    for (let r = 0; r < rows; r++) data += r === 0 ? labelText(v, prediction[r]!) : `,${labelText(v, prediction[r]!)}`;
    parts.push(tensor("label", `[${rows}]`, v.labelsAreText ? "BYTES" : "FP64", `${data}]`));
  }
  if (probability && want.has("probability")) parts.push(tensor("probability", `[${rows},${k}]`, "FP64", numList(probability)));
  if (raw && want.has("raw_prediction")) parts.push(tensor("raw_prediction", `[${rows},${k}]`, "FP64", numList(raw)));
  const id = req.id === undefined ? "" : `,"id":${JSON.stringify(req.id)}`;
  return { text: `${v.oipHead}${id},"outputs":[${parts.join(",")}]}`, rows };
}

const tensor = (name: string, shape: string, datatype: string, data: string) =>
  `{"name":"${name}","shape":${shape},"datatype":"${datatype}","data":${data}}`;

// The output tensors a version has (no probabilities for regression and clustering, no probability for linear_svc).
export function outputNames(v: ServedVersion): OutputName[] {
  return OUTPUT_NAMES.filter((name) => (name === "probability" ? v.hasProbability : name === "raw_prediction" ? v.hasRawPrediction : true));
}

// Checks an infer request against the version's inputs; collects every problem before throwing.
function parseRequest(v: ServedVersion, body: unknown): Parsed {
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
  const columns: unknown[][] = new Array(schema.length);
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
    const numeric = schema[col]!.type === "double";
    const data = checkTensor(t, at, numeric, problems);
    if (!data) return;
    columns[col] = data;
    if (rows < 0) rows = data.length;
    else if (data.length !== rows) problems.add(`${at}.shape`, `${t.name} has ${data.length} rows, the inputs before it ${rows}`);
  });
  schema.forEach((c, i) => sent.has(i) || problems.add(c.name, `is missing: send a tensor named "${c.name}" (${c.type === "double" ? "FP64" : "BYTES"})`));
  problems.throwIfAny(CODES.badInput, "inputs");
  if (rows === 0) throw new HttpError(400, CODES.empty, "the input tensors have no rows; send at least one");
  return { id: body.id as string | undefined, rows, columns, outputs };
}

// The data of one input tensor when its datatype, shape and values fit the column, else null.
function checkTensor(t: Record<string, unknown>, at: string, numeric: boolean, problems: Problems): unknown[] | null {
  const name = t.name as string;
  const before = problems.total;
  const want = numeric ? "FP64" : "BYTES";
  if (t.datatype === undefined) problems.add(`${at}.datatype`, `is missing: ${name} takes ${want}`);
  else if (numeric ? !NUMERIC.has(t.datatype as string) : t.datatype !== "BYTES") problems.add(`${at}.datatype`, `${name} takes ${want}, got ${describeValue(t.datatype)}`);
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
  let bad = -1;
  let badCount = 0;
  for (let r = 0; r < data.length; r++) {
    const x = data[r];
    if (x === null || (numeric ? typeof x === "number" : typeof x === "string")) continue;
    if (bad < 0) bad = r;
    badCount++;
  }
  if (bad >= 0) {
    const more = badCount > 1 ? ` (${badCount} values are wrong)` : "";
    problems.add(`${at}.data[${bad}]`, `${name} takes ${numeric ? "numbers" : "strings"} or null, got ${describeValue(data[bad])}${more}`);
  }
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
    inputs: d.inputSchema.map((c) => ({ name: c.name, datatype: c.type === "double" ? "FP64" : "BYTES", shape: [-1] })),
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
