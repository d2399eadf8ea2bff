// mlship serve over real HTTP on 127.0.0.1, with two versions trained by real local Spark: every route,
// bad requests, the token, hot swap under load, refusal of broken versions, and a SIGTERM drain.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { execa } from "execa";
import { mlship, mlshipChild, projectRoot } from "../helpers/cli.js";
import { tempDir } from "../helpers/tmp.js";
import { quickstartStore } from "../helpers/quickstart-store.js";
import { call, parityRows, registerBrokenCopy, tensorsOf, type ParityRows } from "../helpers/serve.js";
import { LocalStore } from "../../src/store/index.js";
import { getVersion, moveAlias, type VersionRecord } from "../../src/registry/index.js";
import { loadStoredModel } from "../../src/certify/index.js";
import type { CompiledModel, Value } from "../../src/model/index.js";
import { createLogger, startServer, type RunningServer } from "../../src/serve/index.js";

const work = tempDir("mlship-serve-");
const storeDir = join(work, "store");
const store = new LocalStore(storeDir);
const logLines: any[] = [];
const log = createLogger({ write: (s: string) => logLines.push(JSON.parse(s)) }, true);
const BODY_LIMIT = 1024 * 1024;

let v1: VersionRecord;
let v2: VersionRecord;
let scorer1: CompiledModel;
let parity: ParityRows;
let server: RunningServer;
let base: string;

// Starts a server in this process on a free port.
async function start(models: string[], token: string | null = null, mode: "lenient" | "strict" = "lenient"): Promise<RunningServer> {
  return startServer(
    { store, log, now: () => new Date() },
    { models, host: "127.0.0.1", port: 0, token, pollIntervalMs: 100, bodyLimit: BODY_LIMIT, serverVersion: "test", drainTimeoutMs: 2000, inputs: { mode, onInvalid: "fail" } },
  );
}

const good = () => ({ ...parity.records[0]! });
const predict = (body: unknown, path = "/v1/models/churn/predict") => call(base, "POST", path, { body });

beforeAll(async () => {
  await quickstartStore(storeDir); // v1: the quickstart trained once per build (exit 0, or it throws with Spark's stderr)
  const b = await mlship(["train", "jobs/quickstart.yaml", "--store", storeDir, "--quiet", "--json", "--set", "model.params.regParam=0.1"]);
  expect(b.exitCode, b.stderr).toBe(0);
  v1 = (await getVersion(store, "churn", 1))!;
  v2 = (await getVersion(store, "churn", 2))!;
  expect((await moveAlias(store, "churn", "staging", 1)).ok).toBe(true); // training moved it to 2; start from 1
  scorer1 = await loadStoredModel(store, v1.artifacts.prefix);
  parity = parityRows(store, v1, scorer1.inputSchema);
  server = await start(["churn@staging", "churn@2"]);
  base = server.url;
  await server.ready;
});

afterAll(async () => {
  await server?.close();
});

describe("routes", () => {
  it("answers the health routes, with the version header", async () => {
    const live = await call(base, "GET", "/v2/health/live");
    expect(live).toMatchObject({ status: 200, json: { live: true } });
    expect(live.headers.get("x-mlship-model-version")).toBe("churn@1, churn@2");
    expect(await call(base, "GET", "/v2/health/ready")).toMatchObject({ status: 200, json: { ready: true } });
  });

  it("answers server metadata and the model list", async () => {
    const meta = await call(base, "GET", "/v2");
    expect(meta.json).toMatchObject({ name: "mlship", version: "test", extensions: [] });
    expect(meta.json.models).toEqual([
      { name: "churn", ref: "churn@staging", alias: "staging", version: 1, ready: true },
      { name: "churn", ref: "churn@2", alias: null, version: 2, ready: true },
    ]);
    const list = await call(base, "GET", "/v1/models");
    expect(list.json.models[0]).toMatchObject({ name: "churn", alias: "staging", version: 1, ready: true });
    expect(list.json.models[0].inputs).toContainEqual({ name: "contract", type: "string", sparkType: "string", levels: scorer1.levels.get("contract") });
    expect(list.json.models[0].inputs).toContainEqual({ name: "tenure_months", type: "number", sparkType: "bigint" });
  });

  it("answers model metadata with FP64/BYTES inputs of shape [-1] and the outputs", async () => {
    const r = await call(base, "GET", "/v2/models/churn");
    expect(r.status).toBe(200);
    expect(r.headers.get("x-mlship-model-version")).toBe("churn@1");
    expect(r.json).toMatchObject({ name: "churn", versions: ["1", "2"], platform: "mlship", parameters: { version: 1, alias: "staging", task: "binary_classification" } });
    expect(r.json.inputs).toEqual(
      scorer1.inputSchema.map((c) => ({
        name: c.name,
        datatype: c.type === "double" ? "FP64" : "BYTES",
        shape: [-1],
        parameters: { role: c.role, sparkType: c.sparkType, ...(c.type === "string" ? { levels: scorer1.levels.get(c.name) } : {}) },
      })),
    );
    expect(r.json.inputs.find((i: { name: string }) => i.name === "contract").parameters.levels).toEqual(["month-to-month", "one-year", "two-year"]);
    expect(r.json.outputs).toEqual([
      { name: "prediction", datatype: "FP64", shape: [-1] },
      { name: "label", datatype: "FP64", shape: [-1] },
      { name: "probability", datatype: "FP64", shape: [-1, 2] },
      { name: "raw_prediction", datatype: "FP64", shape: [-1, 2] },
    ]);
    const pinned = await call(base, "GET", "/v2/models/churn/versions/2");
    expect(pinned.headers.get("x-mlship-model-version")).toBe("churn@2");
    expect(pinned.json.parameters).toMatchObject({ version: 2, alias: null });
    expect((await call(base, "GET", "/v2/models/churn/versions/staging")).json.parameters.version).toBe(1);
    expect(await call(base, "GET", "/v2/models/churn/ready")).toMatchObject({ status: 200, json: { name: "churn", version: "1", ready: true } });
    expect((await call(base, "GET", "/v2/models/churn/versions/2/ready")).json.version).toBe("2");
  });

  it("predicts on the JSON route: one prediction per record, model and version named", async () => {
    const r = await predict({ records: [good(), { ...good(), contract: "lifetime" }] }); // an unseen category: the indexer keeps it
    expect(r.status, r.text).toBe(200);
    expect(r.headers.get("x-mlship-model-version")).toBe("churn@1");
    expect(r.json).toMatchObject({ model: "churn", version: 1 });
    expect(r.json.predictions).toHaveLength(2);
    expect(Object.keys(r.json.predictions[0])).toEqual(["label", "prediction", "probability", "rawPrediction"]);
    const pinned = await predict({ records: [good()] }, "/v1/models/churn/versions/2/predict");
    expect(pinned.json.version).toBe(2);
    expect(pinned.headers.get("x-mlship-model-version")).toBe("churn@2");
  });

  it("answers exactly what the scorer computes for every parity row, on both routes (and Spark within 1e-9)", async () => {
    const expected = parity.records.map((rec) => {
      const p = scorer1.scoreValues(scorer1.inputSchema.map((c) => rec[c.name] as Value));
      return { prediction: p.prediction, probability: [...p.probability!], raw: [...p.rawPrediction!] };
    });
    const v1Answer = await predict({ records: parity.records });
    expect(v1Answer.status, v1Answer.text.slice(0, 500)).toBe(200);
    const got = v1Answer.json.predictions as { label: number; prediction: number; probability: number[]; rawPrediction: number[] }[];
    expect(got.map((p) => ({ prediction: p.prediction, probability: p.probability, raw: p.rawPrediction }))).toEqual(expected);
    expect(got.map((p) => p.label)).toEqual(expected.map((e) => e.prediction));

    const oip = await call(base, "POST", "/v2/models/churn/infer", { body: { id: "parity", ...tensorsOf(parity.schema, parity.records) } });
    expect(oip.status, oip.text.slice(0, 500)).toBe(200);
    expect(oip.json).toMatchObject({ model_name: "churn", model_version: "1", id: "parity" });
    const out = Object.fromEntries(oip.json.outputs.map((o: any) => [o.name, o]));
    const n = parity.records.length;
    expect(out.prediction).toMatchObject({ shape: [n], datatype: "FP64" });
    expect(out.probability).toMatchObject({ shape: [n, 2], datatype: "FP64" });
    expect(out.prediction.data).toEqual(expected.map((e) => e.prediction));
    expect(out.label.data).toEqual(expected.map((e) => e.prediction));
    expect(out.probability.data).toEqual(expected.flatMap((e) => e.probability));
    expect(out.raw_prediction.data).toEqual(expected.flatMap((e) => e.raw));

    let worst = 0;
    got.forEach((p, r) => {
      expect(p.prediction).toBe(parity.spark[r]!.prediction);
      p.probability.forEach((x, k) => (worst = Math.max(worst, Math.abs(x - parity.spark[r]!.probability![k]!))));
    });
    expect(worst).toBeLessThanOrEqual(1e-9);
  });

  it("returns only the outputs asked for", async () => {
    const r = await call(base, "POST", "/v2/models/churn/infer", { body: { ...tensorsOf(parity.schema, [good()]), outputs: [{ name: "probability" }] } });
    expect(r.json.outputs.map((o: any) => o.name)).toEqual(["probability"]);
  });

  it("exposes Prometheus metrics labelled by model, version and alias", async () => {
    const r = await call(base, "GET", "/metrics");
    expect(r.status).toBe(200);
    expect(r.headers.get("content-type")).toMatch(/^text\/plain/);
    expect(r.text).toMatch(/mlship_requests_total\{model="churn",version="1",alias="staging",route="\/v1\/models\/:name\/predict",status="200"\} \d+/);
    expect(r.text).toMatch(/mlship_request_duration_seconds_bucket\{le="0.001",model="churn",version="1",alias="staging",route="\/v1\/models\/:name\/predict"\} \d+/);
    expect(r.text).toMatch(/mlship_model_version\{model="churn",alias="staging"\} 1/);
    expect(r.text).toMatch(/mlship_rows_scored_total\{model="churn",version="1",alias="staging"\} \d+/);
    const sum = /mlship_request_duration_seconds_sum\{model="churn",version="1",alias="staging",route="\/v1\/models\/:name\/predict"\} (\S+)/.exec(r.text);
    expect(Number(sum?.[1])).toBeGreaterThan(0); // latency is measured, not zero
  });
});

// Each bad request: [what, method, path, request, status, code, field?]
type Req = { body?: unknown; raw?: string; headers?: Record<string, string> };
const json = { "content-type": "application/json" };
const tensors = (patch: (t: ReturnType<typeof tensorsOf>) => void) => () => {
  const t = tensorsOf(parity.schema, [good(), good()]);
  patch(t);
  return { body: t };
};
const records = (...recs: Record<string, unknown>[]) => () => ({ body: { records: recs } });
const withRec = (patch: Record<string, unknown>, drop?: string) => () => {
  const rec: Record<string, unknown> = { ...good(), ...patch };
  if (drop) delete rec[drop];
  return { body: { records: [rec] } };
};
const P = "/v1/models/churn/predict";
const I = "/v2/models/churn/infer";
const BAD: [string, string, string, () => Req, number, string, string?][] = [
  ["malformed JSON", "POST", P, () => ({ raw: '{"records": [', headers: json }), 400, "E_BAD_JSON"],
  ["an empty JSON body", "POST", P, () => ({ raw: "", headers: json }), 400, "E_BAD_JSON"],
  ["text/plain", "POST", P, () => ({ raw: "tenure=3", headers: { "content-type": "text/plain" } }), 415, "E_UNSUPPORTED_MEDIA_TYPE"],
  ["a form body", "POST", P, () => ({ raw: "a=1", headers: { "content-type": "application/x-www-form-urlencoded" } }), 415, "E_UNSUPPORTED_MEDIA_TYPE"],
  ["no body at all", "POST", P, () => ({}), 400, "E_BAD_JSON"],
  ["a list as the body", "POST", P, () => ({ body: [good()] }), 400, "E_BAD_REQUEST"],
  ["a string as the body", "POST", P, () => ({ body: "hello" }), 400, "E_BAD_REQUEST"],
  ["no records field", "POST", P, () => ({ body: { rows: [good()] } }), 400, "E_BAD_REQUEST", "rows"],
  ["records not a list", "POST", P, () => ({ body: { records: good() } }), 400, "E_BAD_REQUEST", "records"],
  ["empty records", "POST", P, records(), 400, "E_EMPTY"],
  ["a record that is a number", "POST", P, records(7), 400, "E_BAD_INPUT", "records[0]"],
  ["a missing field", "POST", P, withRec({}, "region"), 400, "E_BAD_INPUT", "records[0].region"],
  ["text that is not a number", "POST", P, withRec({ tenure_months: "twelve" }), 400, "E_BAD_INPUT", "records[0].tenure_months"],
  ["a number out of the double range", "POST", P, () => ({ raw: `{"records":[${JSON.stringify(good()).slice(0, -1)},"total_charges":1e400}]}`, headers: json }), 400, "E_BAD_INPUT", "records[0].total_charges"],
  ["infer: text that is not a number in FP64 data", "POST", I, tensors((t) => (t.inputs[3]!.data[1] = "four")), 400, "E_BAD_INPUT", "support_calls"],
  ["infer: -Infinity (1e400 as JSON)", "POST", I, () => ({ raw: JSON.stringify(tensorsOf(parity.schema, [good()])).replace(/"data":\[([^\]]*)\]/, '"data":[-1e400]'), headers: json }), 400, "E_BAD_INPUT", "tenure_months"],
  ["an object value", "POST", P, withRec({ region: { name: "west" } }), 400, "E_BAD_INPUT", "records[0].region"],
  ["a bad second record", "POST", P, () => ({ body: { records: [good(), { ...good(), monthly_charges: [1] }] } }), 400, "E_BAD_INPUT", "records[1].monthly_charges"],
  ["an oversize body", "POST", P, () => ({ body: { records: Array.from({ length: 8000 }, good) } }), 413, "E_BODY_TOO_LARGE"],
  ["an unknown model", "POST", "/v1/models/nope/predict", records({}), 404, "E_MODEL_NOT_FOUND"],
  ["an unknown version", "POST", "/v1/models/churn/versions/99/predict", records({}), 404, "E_VERSION_NOT_FOUND"],
  ["an unknown route", "GET", "/v3/things", () => ({}), 404, "E_NOT_FOUND"],
  ["GET on the predict route", "GET", P, () => ({}), 404, "E_NOT_FOUND"],
  ["infer: malformed JSON", "POST", I, () => ({ raw: "{inputs", headers: json }), 400, "E_BAD_JSON"],
  ["infer: no inputs", "POST", I, () => ({ body: { id: "x" } }), 400, "E_BAD_REQUEST", "inputs"],
  ["infer: inputs not a list", "POST", I, () => ({ body: { inputs: { name: "region" } } }), 400, "E_BAD_REQUEST", "inputs"],
  ["infer: an unknown top-level field", "POST", I, tensors((t) => Object.assign(t, { instances: [] })), 400, "E_BAD_REQUEST", "instances"],
  ["infer: id not a string", "POST", I, tensors((t) => Object.assign(t, { id: 5 })), 400, "E_BAD_REQUEST", "id"],
  ["infer: a missing input tensor", "POST", I, tensors((t) => t.inputs.pop()), 400, "E_BAD_INPUT", "region"],
  ["infer: an unknown input tensor", "POST", I, tensors((t) => t.inputs.push({ name: "colour", shape: [2], datatype: "BYTES", data: ["a", "b"] })), 400, "E_BAD_INPUT", "colour"],
  ["infer: a tensor sent twice", "POST", I, tensors((t) => t.inputs.push({ ...t.inputs[0]! })), 400, "E_BAD_INPUT", "tenure_months"],
  ["infer: a 2-D shape", "POST", I, tensors((t) => (t.inputs[1]!.shape = [1, 2])), 400, "E_BAD_INPUT", "inputs[1].shape"],
  ["infer: shape and data disagree", "POST", I, tensors((t) => (t.inputs[2]!.shape = [3])), 400, "E_BAD_INPUT", "inputs[2].data"],
  ["infer: tensors with different row counts", "POST", I, tensors((t) => Object.assign(t.inputs[6]!, { shape: [1], data: ["west"] })), 400, "E_BAD_INPUT", "inputs[6].shape"],
  ["infer: zero rows", "POST", I, () => ({ body: tensorsOf(parity.schema, []) }), 400, "E_EMPTY"],
  ["infer: an unknown output", "POST", I, tensors((t) => Object.assign(t, { outputs: [{ name: "shap" }] })), 400, "E_BAD_REQUEST", "outputs[0]"],
  ["infer: an unknown model", "POST", "/v2/models/nope/infer", tensors(() => undefined), 404, "E_MODEL_NOT_FOUND"],
  ["infer: an unknown version", "POST", "/v2/models/churn/versions/7/infer", tensors(() => undefined), 404, "E_VERSION_NOT_FOUND"],
  ["metadata: an unknown model", "GET", "/v2/models/nope", () => ({}), 404, "E_MODEL_NOT_FOUND"],
];

describe("bad requests", () => {
  it.each(BAD)("%s -> %i %s", async (_what, method, path, make, status, code, field) => {
    const r = await call(base, method, path, make());
    expect(r.status, r.text).toBe(status);
    expect(r.headers.get("content-type")).toMatch(/^application\/json/);
    expect(r.headers.get("x-mlship-model-version")).toMatch(/^churn@\d/);
    expect(r.json.error.code).toBe(code);
    expect(r.json.error.message).toEqual(expect.any(String));
    if (field) expect(r.json.error.fields.map((f: { field: string }) => f.field)).toContain(field);
  });

  it("lists every bad field of every record at once", async () => {
    const r = await predict({ records: [{ ...good(), tenure_months: "x", colour: 1 }, { region: "west" }] });
    expect(r.status).toBe(400);
    const fields = r.json.error.fields as { field: string; reason: string }[];
    expect(fields.map((f) => f.field)).toEqual(expect.arrayContaining(["records[0].tenure_months", "records[1].contract", "records[1].tenure_months"]));
    expect(fields.map((f) => f.field)).not.toContain("records[0].colour"); // other fields are ignored (lenient)
  });

  it("lenient: casts as Spark casts (numeric text, booleans, numbers for categories) and ignores other fields", async () => {
    const as = async (patch: Record<string, unknown>) => (await predict({ records: [{ ...good(), ...patch }] })).json.predictions[0];
    const rec = good();
    expect(await as({ tenure_months: String(rec.tenure_months), colour: "red", __x: 1 })).toEqual(await as({}));
    expect(await as({ support_calls: true })).toEqual(await as({ support_calls: 1 }));
    expect(await as({ contract: 2 })).toEqual(await as({ contract: "2" })); // an unseen level, as Spark would index "2"
  });

  it("never answered a bad request with a 5xx, and is still alive", async () => {
    const metrics = (await call(base, "GET", "/metrics")).text;
    expect(metrics).not.toMatch(/status="5\d\d"/);
    expect(metrics).toMatch(/mlship_request_errors_total\{model="churn",version="1",alias="staging",route="\/v1\/models\/:name\/predict",status="400",code="E_BAD_INPUT"\} \d+/);
    expect((await call(base, "GET", "/v2/health/live")).status).toBe(200);
  });
});

// What --strict-inputs refuses that the lenient default casts or ignores.
const STRICT_BAD: [string, string, () => Req, string][] = [
  ["an extra field", P, withRec({ colour: "red" }), "records[0].colour"],
  ["a __proto__ field", P, () => ({ raw: `{"records":[${JSON.stringify(good()).slice(0, -1)},"__proto__":{"x":1}}]}`, headers: json }), "records[0].__proto__"],
  ["a number sent as a string", P, withRec({ tenure_months: "12" }), "records[0].tenure_months"],
  ["a category sent as a number", P, withRec({ contract: 2 }), "records[0].contract"],
  ["a boolean", P, withRec({ support_calls: true }), "records[0].support_calls"],
  ["infer: BYTES for a number column", I, tensors((t) => (t.inputs[0]!.datatype = "BYTES")), "inputs[0].datatype"],
  ["infer: FP64 for a string column", I, tensors((t) => (t.inputs[4]!.datatype = "FP64")), "inputs[4].datatype"],
  ["infer: a string in FP64 data", I, tensors((t) => (t.inputs[3]!.data[1] = "4")), "support_calls"],
];

describe("--strict-inputs", () => {
  let strict: RunningServer;
  beforeAll(async () => {
    strict = await start(["churn@staging"], null, "strict");
    await strict.ready;
  });
  afterAll(() => strict.close());

  it.each(STRICT_BAD)("%s -> 400 E_BAD_INPUT (200 when lenient)", async (_what, path, make, field) => {
    const r = await call(strict.url, "POST", path, make());
    expect(r.status, r.text).toBe(400);
    expect(r.json.error.code).toBe("E_BAD_INPUT");
    expect(r.json.error.fields.map((f: { field: string }) => f.field)).toContain(field);
    expect((await call(base, "POST", path, make())).status).toBe(200);
  });
});

describe("bearer token", () => {
  let secured: RunningServer;
  beforeAll(async () => {
    secured = await start(["churn@2"], "s3cret-token");
    await secured.ready;
  });
  afterAll(() => secured.close());

  it.each([
    ["no header", {}, 401],
    ["a wrong token", { authorization: "Bearer s3cret-tokeN" }, 401],
    ["a longer token", { authorization: "Bearer s3cret-token-and-more" }, 401],
    ["another scheme", { authorization: "Basic s3cret-token" }, 401],
    ["the token", { authorization: "Bearer s3cret-token" }, 200],
    ["the token, any case of the scheme", { authorization: "bearer s3cret-token" }, 200],
  ])("%s -> %i", async (_what, headers, status) => {
    const r = await call(secured.url, "POST", P, { body: { records: [good()] }, headers });
    expect(r.status).toBe(status);
    if (status === 401) {
      expect(r.json.error.code).toBe("E_UNAUTHORIZED");
      expect(r.headers.get("www-authenticate")).toMatch(/^Bearer/);
    }
  });

  it("keeps the health routes open and protects metadata and metrics", async () => {
    expect((await call(secured.url, "GET", "/v2/health/live")).status).toBe(200);
    expect((await call(secured.url, "GET", "/v2/health/ready")).status).toBe(200);
    expect((await call(secured.url, "GET", "/v2/models/churn")).status).toBe(401);
    expect((await call(secured.url, "GET", "/metrics")).status).toBe(401);
    expect((await call(secured.url, "GET", "/metrics", { headers: { authorization: "Bearer s3cret-token" } })).status).toBe(200);
  });

  it("logs a 5xx without its query string (a client may send a token as ?api_key=)", async () => {
    const find = secured.catalogue.find;
    secured.catalogue.find = () => {
      throw new Error("a fault injected by the test");
    };
    try {
      const r = await call(secured.url, "GET", "/v2/models/churn?api_key=SECRET-IN-QUERY", { headers: { authorization: "Bearer s3cret-token" } });
      expect(r.status).toBe(500);
      expect(r.json.error.code).toBe("E_INTERNAL");
    } finally {
      secured.catalogue.find = find;
    }
    const failed = logLines.filter((l) => l.msg === "request failed" && String(l.error).includes("a fault injected by the test"));
    expect(failed).toHaveLength(1);
    expect(failed[0].url).toBe("/v2/models/churn?<redacted>");
    expect(JSON.stringify(logLines)).not.toContain("SECRET-IN-QUERY");
  });
});

describe("hot swap", () => {
  it("moves the alias twice under load: no failed request, and the answering version changes", async () => {
    const seen: number[] = [];
    const failures: string[] = [];
    const MAX_REQUESTS = 20_000;
    const started = Date.now();
    let swapsDone = false;
    let sent = 0;
    const body = JSON.stringify({ records: [good()] });
    const worker = async () => {
      // Bounded: stops after both swaps were seen (and at least 2,000 requests), or at 20,000 requests, or after 20 s.
      while (sent < MAX_REQUESTS && Date.now() - started < 20_000 && !(swapsDone && sent >= 2000)) {
        sent++;
        try {
          const res = await fetch(`${base}${P}`, { method: "POST", headers: json, body });
          const text = await res.text();
          if (res.status !== 200) {
            failures.push(`${res.status} ${text}`);
            continue;
          }
          const answered = JSON.parse(text) as { version: number };
          if (res.headers.get("x-mlship-model-version") !== `churn@${answered.version}`) failures.push(`header ${res.headers.get("x-mlship-model-version")} for version ${answered.version}`);
          if (seen.at(-1) !== answered.version) seen.push(answered.version);
        } catch (err) {
          failures.push(String(err));
        }
      }
    };
    const waitForVersion = async (v: number) => {
      const end = Date.now() + 10_000;
      while (server.catalogue.slots[0]!.current?.version !== v && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
      expect(server.catalogue.slots[0]!.current?.version).toBe(v);
    };
    const mover = async () => {
      await new Promise((r) => setTimeout(r, 300));
      expect((await moveAlias(store, "churn", "staging", 2)).ok).toBe(true);
      await waitForVersion(2);
      await new Promise((r) => setTimeout(r, 300));
      expect((await moveAlias(store, "churn", "staging", 1)).ok).toBe(true);
      await waitForVersion(1);
      await new Promise((r) => setTimeout(r, 300));
      swapsDone = true;
    };
    await Promise.all([mover(), ...Array.from({ length: 8 }, worker)]);
    expect(failures).toEqual([]);
    expect(sent).toBeGreaterThanOrEqual(2000);
    // Answers from 8 connections can reach the client slightly out of order around a swap, so check the versions, not the exact sequence.
    expect(seen[0]).toBe(1);
    expect(seen.at(-1)).toBe(1);
    expect(seen).toContain(2);
    const swaps = logLines.filter((l) => l.msg === "swapped").map((l) => `${l.from}->${l.to}`);
    expect(swaps).toEqual(expect.arrayContaining(["churn@1->churn@2", "churn@2->churn@1"]));
  });

  it("refuses a version whose artifact was corrupted, and one that fails its parity certificate, and keeps serving", async () => {
    const corrupt = await registerBrokenCopy(
      store,
      v2,
      "corrupted",
      (dir) => {
        const f = join(dir, "portable", "stages", "06_logistic_regression.arrow");
        const b = readFileSync(f);
        b[b.length >> 1] ^= 0x01;
        writeFileSync(f, b);
      },
      false,
    );
    const unfaithful = await registerBrokenCopy(
      store,
      v2,
      "unfaithful",
      (dir) => {
        // Checksums are made consistent again: only the parity certificate can tell this model from Spark's.
        const f = join(dir, "portable", "descriptor.json");
        const d = JSON.parse(readFileSync(f, "utf8"));
        d.stages.find((s: { kind: string }) => s.kind === "logistic_regression").threshold = 0.9;
        writeFileSync(f, JSON.stringify(d));
      },
      true,
    );
    for (const [broken, reason] of [
      [corrupt, /sha256 does not match MANIFEST.json/],
      [unfaithful, /parity certificate failed/],
    ] as const) {
      expect((await moveAlias(store, "churn", "staging", broken.version)).ok).toBe(true);
      await server.pollNow();
      const r = await predict({ records: [good()] });
      expect(r.status).toBe(200);
      expect(r.json.version).toBe(1);
      expect(r.headers.get("x-mlship-model-version")).toBe("churn@1");
      const refusal = logLines.filter((l) => l.msg.startsWith("refused") && l.version === broken.version);
      expect(refusal).toHaveLength(1);
      expect(refusal[0].problems.join("\n")).toMatch(reason);
      await server.pollNow(); // not retried at every poll
      expect(logLines.filter((l) => l.msg.startsWith("refused") && l.version === broken.version)).toHaveLength(1);
    }
    expect((await call(base, "GET", "/metrics")).text).toMatch(/mlship_model_swaps_total\{model="churn",alias="staging",outcome="refused"\} 2/);
    // A good version is still taken once the alias points at one.
    expect((await moveAlias(store, "churn", "staging", 2)).ok).toBe(true);
    await server.pollNow();
    expect((await predict({ records: [good()] })).json.version).toBe(2);
  });

  it("does not start on a broken version or an unknown reference", async () => {
    const corrupted = (await getVersion(store, "churn", 3))!;
    const s = await start([`churn@${corrupted.version}`]);
    await expect(s.ready).rejects.toMatchObject({ code: "E_LOAD" });
    expect((await call(s.url, "GET", "/v2/health/ready")).status).toBe(503);
    await s.close();
    await expect(start(["churn@production", "nope@1"])).rejects.toMatchObject({ code: "E_NOT_FOUND", message: expect.stringMatching(/no alias "production"[\s\S]*nope has no version 1/) });
  });
});

describe("mlship serve (the command)", () => {
  it("logs JSON lines, serves, and drains on SIGTERM with exit code 0", async () => {
    const child = mlshipChild(["serve", "--store", storeDir, "--model", "churn@2", "--port", "0", "--json-logs"]);
    let err = "";
    child.stderr?.on("data", (d: Buffer) => (err += d.toString()));
    const end = Date.now() + 30_000;
    while (!/"msg":"ready"/.test(err) && Date.now() < end && child.exitCode === null) await new Promise((r) => setTimeout(r, 50));
    const lines = err.trim().split("\n").map((l) => JSON.parse(l));
    const url = lines.find((l) => l.msg === "listening").url as string;
    expect(lines.find((l) => l.msg === "loaded")).toMatchObject({ model: "churn", version: 2, parityRows: 1000 });
    const r = await call(url, "POST", P, { body: { records: [good()] } });
    expect(r.json.version).toBe(2);
    child.kill("SIGTERM");
    const result = await child;
    expect(result.exitCode, err).toBe(0);
    expect(err).toMatch(/"msg":"draining.*"signal":"SIGTERM"/);
    expect(err).toMatch(/"msg":"closed"/);
  });

  it("reports every bad flag at once with exit code 2", async () => {
    const r = await mlship(["serve", "--store", storeDir, "--port", "99999", "--poll-interval", "0", "--body-limit", "lots"]);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/--model is required/);
    expect(r.stderr).toMatch(/--port/);
    expect(r.stderr).toMatch(/--poll-interval/);
    expect(r.stderr).toMatch(/--body-limit/);
  });
});

// The curl commands of a doc's sh blocks: a command runs until its quotes close on a line not ending in "\".
function curlCommands(markdown: string): string[] {
  const commands: string[] = [];
  for (const [, block] of markdown.matchAll(/```sh\n([\s\S]*?)```/g)) {
    let current: string[] = [];
    for (const line of block!.split("\n")) {
      if (current.length === 0 && !line.startsWith("curl ")) continue;
      current.push(line);
      const text = current.join("\n");
      if ((text.split("'").length - 1) % 2 === 0 && !line.endsWith("\\")) {
        commands.push(text);
        current = [];
      }
    }
  }
  return commands;
}

describe("docs/serving.md", () => {
  it("runs every curl example as written against the server the docs start", async () => {
    expect((await moveAlias(store, "churn", "staging", 1)).ok).toBe(true); // as a fresh `npm run quickstart` leaves it
    const docs = await start(["churn@staging"]);
    await docs.ready;
    try {
      // The token example needs its own server; the token tests above cover it.
      const commands = curlCommands(readFileSync(join(projectRoot, "docs", "serving.md"), "utf8")).filter((c) => !c.includes("token.txt"));
      expect(commands.length).toBeGreaterThanOrEqual(10);
      for (const cmd of commands) {
        const r = await execa("bash", ["-c", cmd.replaceAll("http://127.0.0.1:8080", docs.url)], { reject: false });
        expect(r.exitCode, `${cmd}\n${r.stderr}`).toBe(0);
        expect(r.stdout.length, cmd).toBeGreaterThan(0);
        const code = /# -> (E_\w+)/.exec(cmd)?.[1];
        if (code) expect(r.stdout, cmd).toContain(`"code":"${code}"`);
        else expect(r.stdout, cmd).not.toContain('"error":{');
      }
    } finally {
      await docs.close();
    }
  });
});
