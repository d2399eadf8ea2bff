// mlship serve beyond single requests, on a model trained by real local Spark: Arrow IPC batches over real
// HTTP, the status page in headless Chromium, and --workers 2 (a real node:cluster primary and workers).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  Bool,
  Dictionary,
  Field,
  Float64,
  Int32,
  List,
  Table,
  Utf8,
  tableFromIPC,
  tableToIPC,
  vectorFromArray,
  type DataType,
  type Vector,
} from "apache-arrow";
import { openPage, type OpenPage } from "../helpers/browser.js";
import { mlship } from "../helpers/cli.js";
import { tempDir } from "../helpers/tmp.js";
import { quickstartStore } from "../helpers/quickstart-store.js";
import { call, parityRows, requestFresh, serveChild, type ParityRows } from "../helpers/serve.js";
import { rawRequest, type RawAnswer, type Step } from "../helpers/raw-http.js";
import { LocalStore } from "../../src/store/index.js";
import { getVersion, type VersionRecord } from "../../src/registry/index.js";
import { loadStoredModel } from "../../src/certify/index.js";
import type { CompiledModel, Value } from "../../src/model/index.js";
import { createLogger, startServer, type RunningServer } from "../../src/serve/index.js";

const work = tempDir("mlship-serve-batch-");
const storeDir = join(work, "store");
const store = new LocalStore(storeDir);
const log = createLogger({ write: () => undefined }, true);
const ARROW = "application/vnd.apache.arrow.stream";
const BODY_LIMIT = 256 * 1024;

let v1: VersionRecord;
let scorer: CompiledModel;
let parity: ParityRows;
let server: RunningServer;

// An Arrow stream of records: double columns as Float64, string columns as Utf8, unless `types` says otherwise.
function arrowOf(records: Record<string, unknown>[], types: Record<string, DataType> = {}, names = parity.schema.map((c) => c.name)): Uint8Array {
  const vectors: Record<string, Vector> = {};
  for (const name of names) {
    const col = parity.schema.find((c) => c.name === name);
    const type = types[name] ?? (col?.type === "string" ? new Utf8() : new Float64());
    vectors[name] = vectorFromArray(records.map((r) => r[name] ?? null), type);
  }
  return tableToIPC(new Table(vectors), "stream");
}

const postArrow = (body: Uint8Array | string, path = "/v1/models/churn/predict") =>
  fetch(`${server.url}${path}`, { method: "POST", headers: { "content-type": ARROW }, body });

beforeAll(async () => {
  await quickstartStore(storeDir); // the quickstart trained once per build (exit 0, or it throws with Spark's stderr)
  v1 = (await getVersion(store, "churn", 1))!;
  scorer = await loadStoredModel(store, v1.artifacts.prefix);
  parity = parityRows(store, v1, scorer.inputSchema);
  server = await startServer(
    { store, log, now: () => new Date() },
    { models: ["churn@staging"], host: "127.0.0.1", port: 0, token: null, pollIntervalMs: 1000, bodyLimit: BODY_LIMIT, serverVersion: "test", drainTimeoutMs: 2000 },
  );
  await server.ready;
});

afterAll(async () => {
  await server?.close();
});

describe("Arrow IPC batches on /v1/models/{m}/predict", () => {
  it("answers the scorer's exact outputs for every parity row (and Spark's within 1e-9), as an Arrow stream", async () => {
    const res = await postArrow(arrowOf(parity.records));
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe(ARROW);
    expect(res.headers.get("x-mlship-model-version")).toBe("churn@1");
    const out = tableFromIPC(new Uint8Array(await res.arrayBuffer()));
    expect(out.numRows).toBe(parity.records.length);
    expect(out.schema.fields.map((f) => `${f.name}:${f.type}`)).toEqual([
      "prediction:Float64",
      "label:Float64",
      "probability:FixedSizeList[2]<Float64>",
      "raw_prediction:FixedSizeList[2]<Float64>",
    ]);
    expect(out.schema.metadata.get("mlship.model_version")).toBe("churn@1");
    let worst = 0;
    parity.records.forEach((rec, r) => {
      const p = scorer.scoreValues(scorer.inputSchema.map((c) => rec[c.name] as Value));
      expect(out.getChild("prediction")!.get(r)).toBe(p.prediction);
      expect(out.getChild("label")!.get(r)).toBe(p.prediction);
      expect([...out.getChild("probability")!.get(r)!.toArray()]).toEqual([...p.probability!]);
      expect([...out.getChild("raw_prediction")!.get(r)!.toArray()]).toEqual([...p.rawPrediction!]);
      expect(p.prediction).toBe(parity.spark[r]!.prediction);
      p.probability!.forEach((x, k) => (worst = Math.max(worst, Math.abs(x - parity.spark[r]!.probability![k]!))));
    });
    expect(worst).toBeLessThanOrEqual(1e-9);
  });

  it("takes nulls, int columns, dictionary-encoded strings and several record batches, answering as the JSON route does", async () => {
    const records = parity.records.slice(0, 40).map((r, i) => ({ ...r, total_charges: i % 3 === 0 ? null : r.total_charges, region: i % 5 === 0 ? null : r.region }));
    records[1]!.contract = "lifetime"; // unseen: the quickstart indexer keeps it
    const ints = records.map((r) => ({ ...r, support_calls: Math.round(r.support_calls as number) }));
    const halves = [ints.slice(0, 15), ints.slice(15)].map((part) => {
      const vectors: Record<string, Vector> = {};
      for (const c of parity.schema) {
        const type = c.name === "support_calls" ? new Int32() : c.name === "contract" ? new Dictionary(new Utf8(), new Int32()) : c.type === "string" ? new Utf8() : new Float64();
        vectors[c.name] = vectorFromArray(part.map((r) => r[c.name] ?? null), type as DataType);
      }
      return new Table(vectors);
    });
    const twoBatches = halves[0]!.concat(halves[1]!);
    expect(twoBatches.batches.length).toBe(2);
    const res = await postArrow(tableToIPC(twoBatches, "stream"));
    expect(res.status, await res.clone().text()).toBe(200);
    const out = tableFromIPC(new Uint8Array(await res.arrayBuffer()));
    const viaJson = await call(server.url, "POST", "/v1/models/churn/predict", { body: { records: ints } });
    expect(viaJson.status, viaJson.text).toBe(200);
    expect(out.numRows).toBe(40);
    viaJson.json.predictions.forEach((p: { prediction: number; probability: number[]; rawPrediction: number[] }, r: number) => {
      expect(out.getChild("prediction")!.get(r)).toBe(p.prediction);
      expect([...out.getChild("probability")!.get(r)!.toArray()]).toEqual(p.probability);
      expect([...out.getChild("raw_prediction")!.get(r)!.toArray()]).toEqual(p.rawPrediction);
    });
  });

  const good = () => parity.records.slice(0, 3);
  const names = () => parity.schema.map((c) => c.name);
  const LIST = new List(new Field("item", new Float64(), true));

  it("lenient inputs: an extra column is ignored; numeric text, booleans and numbers for categories are cast as Spark casts", async () => {
    const records = good().map((r, i) => ({ ...r, support_calls: i % 2 === 0, contract: i, colour: "red" }));
    const cast = records.map((r) => ({ ...r, tenure_months: String(r.tenure_months) }));
    const res = await postArrow(
      arrowOf(cast, { tenure_months: new Utf8(), support_calls: new Bool(), contract: new Float64(), colour: new Utf8() }, [...names(), "colour"]),
    );
    expect(res.status, await res.clone().text()).toBe(200);
    const out = tableFromIPC(new Uint8Array(await res.arrayBuffer()));
    // The same rows in the pipeline's own types: booleans as 1/0, a category 0 as the text "0" (an unseen level).
    const typed = records.map(({ colour: _c, ...r }) => ({ ...r, support_calls: r.support_calls ? 1 : 0, contract: String(r.contract) }));
    const viaJson = await call(server.url, "POST", "/v1/models/churn/predict", { body: { records: typed } });
    expect(viaJson.status, viaJson.text).toBe(200);
    viaJson.json.predictions.forEach((p: { prediction: number; probability: number[] }, r: number) => {
      expect(out.getChild("prediction")!.get(r)).toBe(p.prediction);
      expect([...out.getChild("probability")!.get(r)!.toArray()]).toEqual(p.probability);
    });
  });
  // [what, status, code, body, fields?]
  const BAD: [string, number, string, () => Uint8Array | string, string[]?][] = [
    ["bytes that are not Arrow", 400, "E_BAD_ARROW", () => "hello, this is not an Arrow stream"],
    ["an empty body", 400, "E_BAD_ARROW", () => new Uint8Array(0)],
    ["a truncated stream", 400, "E_BAD_ARROW", () => arrowOf(good()).subarray(0, 300)],
    ["JSON sent as Arrow", 400, "E_BAD_ARROW", () => JSON.stringify({ records: good() })],
    ["a missing column", 400, "E_BAD_INPUT", () => arrowOf(good(), {}, names().filter((n) => n !== "region")), ["region"]],
    ["text that is not a number in a numeric column", 400, "E_BAD_INPUT", () => arrowOf(good().map((r) => ({ ...r, tenure_months: "twelve" })), { tenure_months: new Utf8() }), ["tenure_months"]],
    ["an infinite number", 400, "E_BAD_INPUT", () => arrowOf(good().map((r, i) => ({ ...r, total_charges: i === 1 ? -Infinity : r.total_charges }))), ["total_charges"]],
    ["a list column for a numeric input", 400, "E_BAD_INPUT", () => arrowOf(good().map((r) => ({ ...r, support_calls: [1] })), { support_calls: LIST }), ["support_calls"]],
    [
      "every column problem at once",
      400,
      "E_BAD_INPUT",
      () =>
        arrowOf(good().map((r) => ({ ...r, tenure_months: "x", support_calls: [2] })), { tenure_months: new Utf8(), support_calls: LIST }, names().filter((n) => n !== "region")),
      ["region", "tenure_months", "support_calls"],
    ],
    ["zero rows", 400, "E_EMPTY", () => arrowOf([])],
    ["an oversize batch", 413, "E_BODY_TOO_LARGE", () => arrowOf(Array.from({ length: 5000 }, () => parity.records[0]!))],
  ];

  it.each(BAD)("%s -> %i %s", async (_what, status, code, make, fields) => {
    const res = await postArrow(make());
    const text = await res.text();
    expect(res.status, text).toBe(status);
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    expect(res.headers.get("x-mlship-model-version")).toBe("churn@1");
    const body = JSON.parse(text);
    expect(body.error.code).toBe(code);
    if (fields) expect(body.error.fields.map((f: { field: string }) => f.field)).toEqual(expect.arrayContaining(fields));
    for (const f of body.error.fields ?? []) expect(f.reason).toEqual(expect.any(String));
  });

  it("refuses Arrow on the OIP infer route (415, naming the route to use) and for unknown models (404)", async () => {
    const infer = await postArrow(arrowOf(good()), "/v2/models/churn/infer");
    expect(infer.status).toBe(415);
    expect(await infer.text()).toMatch(/\/v1\/models\/churn\/predict/);
    const unknown = await postArrow(arrowOf(good()), "/v1/models/nope/predict");
    expect(unknown.status).toBe(404);
    expect((await unknown.json()).error.code).toBe("E_MODEL_NOT_FOUND");
  });

  it("counts Arrow rows in the metrics and is still alive after every bad batch", async () => {
    const metrics = (await call(server.url, "GET", "/metrics")).text;
    expect(metrics).not.toMatch(/status="5\d\d"/);
    const rows = Number(/mlship_rows_scored_total\{model="churn",version="1",alias="staging"\} (\d+)/.exec(metrics)?.[1]);
    expect(rows).toBeGreaterThanOrEqual(parity.records.length + 40);
    expect((await call(server.url, "GET", "/v2/health/live")).status).toBe(200);
  });
});

const sampleBody = () => JSON.stringify({ records: [parity.records[0]] });

describe("the status page at / in headless Chromium", () => {
  it("shows the model, version and alias, and the request count, percentiles and live charts move with traffic", async () => {
    const served = await serveChild(["--store", storeDir, "--model", "churn@staging", "--access-log"], (l) => l.msg === "ready");
    let browser: OpenPage | null = null;
    try {
      browser = await openPage(`${served.url}/`);
      const { page } = browser;
      expect(await page.title()).toBe("mlship serve");
      const row = page.locator('tr[data-ref="churn@staging"]');
      await row.waitFor({ timeout: 10_000 });
      const cells = await row.locator("td").allTextContents();
      expect(cells.slice(0, 5)).toEqual(["churn@staging", "churn", "staging", "1", "yes"]);
      const before = Number(await page.locator("#requests").textContent());
      expect(before).toBe(0); // the page's own requests (/, /status.json) are not traffic
      expect(await page.locator("#p99").textContent()).toBe("–");

      // Two seconds of traffic, a few of them refused (4xx), so each chart has points in more than one second.
      let ok = 0;
      let refused = 0;
      for (let i = 0; i < 25; i++) {
        const r = await call(served.url, "POST", "/v1/models/churn/predict", { raw: sampleBody(), headers: { "content-type": "application/json", "x-request-id": `page-${i}` } });
        expect(r.status).toBe(200);
        expect(r.headers.get("x-request-id")).toBe(`page-${i}`);
        ok++;
        if (i === 12) await new Promise((r) => setTimeout(r, 1100));
      }
      for (const body of ['{"records": []}', "not json", '{"records": [{"tenure_months": "two"}]}']) {
        const r = await call(served.url, "POST", "/v1/models/churn/predict", { raw: body, headers: { "content-type": "application/json" } });
        expect(r.status).toBe(400);
        expect(r.json.error.requestId).toBe(r.headers.get("x-request-id"));
        refused++;
      }
      const total = ok + refused;
      await page.waitForFunction((n) => document.getElementById("requests")?.textContent === String(n), total, { timeout: 10_000 }).catch(async (err) => {
        throw new Error(`the page shows ${await page.locator("#requests").textContent()} requests, expected ${total}: ${(err as Error).message}`);
      });
      for (const id of ["#p50", "#p90", "#p99"]) expect(Number(await page.locator(id).textContent())).toBeGreaterThan(0);
      expect(Number(await page.locator("#rate").textContent())).toBeGreaterThan(0);
      expect(await row.locator("td").nth(5).textContent()).toBe(String(total));

      // The charts: one series (churn@1) with a dot per second of traffic once those seconds are over.
      await page.waitForFunction(
        ([n, e]) => document.getElementById("chart-rate")?.dataset.total === String(n) && document.getElementById("chart-errors")?.dataset.total === String(e),
        [total, refused],
        { timeout: 15_000 },
      );
      expect(await page.locator("#chart-rate circle.pt").count()).toBeGreaterThanOrEqual(2);
      for (const chart of ["rate", "latency", "errors"]) {
        expect(await page.locator(`#chart-${chart} polyline, #chart-${chart} circle.pt`).count(), chart).toBeGreaterThan(0);
        expect(await page.locator(`#chart-${chart}`).getAttribute("role")).toBe("img");
        const alt = await page.locator(`#table-${chart} tr`).first().locator("td").allTextContents();
        expect(alt[1], chart).toBe("churn@1"); // the text alternative names the version
      }
      expect(await page.locator("#chart-latency circle.pt").count()).toBeGreaterThanOrEqual(3 * 2); // p50, p95, p99 in two seconds
      const doc = (await call(served.url, "GET", "/status/series")).json;
      expect(doc.series.map((x: { key: string }) => x.key)).toEqual(["churn@1"]);
      const sums = doc.series[0].points.reduce((acc: number[], p: number[]) => [acc[0]! + p[1]!, acc[1]! + p[2]!], [0, 0]);
      expect(sums).toEqual([total, refused]);
      const path = await browser.screenshot("status-page");
      expect(existsSync(path)).toBe(true);

      expect(browser.consoleErrors).toEqual([]);
      expect(browser.requests.every((u) => u.startsWith(`${served.url}/`)), browser.requests.join("\n")).toBe(true); // no external assets
      const access = served.lines().filter((l) => l.msg === "request");
      expect(access.filter((l) => l.route === "/v1/models/:name/predict").length).toBe(total);
      expect(access.find((l) => l.id === "page-3")).toMatchObject({ method: "POST", model: "churn", alias: "staging", version: 1, status: 200, bytes: expect.any(Number) });
    } finally {
      await browser?.close();
      served.child.kill("SIGTERM");
      await served.child;
    }
  });
});

describe("--workers 2", () => {
  it("answers from both workers, merges their metrics and status, and drains them all on SIGTERM", async () => {
    const served = await serveChild(["--store", storeDir, "--model", "churn@staging", "--workers", "2"], (l) => l.msg === "ready" && l.workers === 2);
    const workersSeen = new Map<string, number>();
    const N = 40;
    for (let i = 0; i < N; i++) {
      const r = await requestFresh(served.url, "POST", "/v1/models/churn/predict", sampleBody());
      expect(r.status, r.text).toBe(200);
      expect(r.headers["x-mlship-model-version"]).toBe("churn@1");
      const w = String(r.headers["x-mlship-worker"]);
      workersSeen.set(w, (workersSeen.get(w) ?? 0) + 1);
    }
    expect([...workersSeen.keys()].sort()).toEqual(["1", "2"]);

    const metrics = await requestFresh(served.url, "GET", "/metrics");
    const total = Number(/mlship_requests_total\{model="churn",version="1",alias="staging",route="\/v1\/models\/:name\/predict",status="200"\} (\d+)/.exec(metrics.text)?.[1]);
    expect(total).toBe(N); // the sum over both workers, whichever answered /metrics
    expect(metrics.text).toMatch(/mlship_model_version\{model="churn",alias="staging"\} 1\b/);

    const status = JSON.parse((await requestFresh(served.url, "GET", "/status.json")).text);
    expect(status.server.workers).toBe(2);
    expect(status.traffic.requests).toBe(N);
    expect(status.workers.map((w: { worker: number; requests: number }) => [w.worker, w.requests])).toEqual([
      [1, workersSeen.get("1")],
      [2, workersSeen.get("2")],
    ]);

    const pids = served.lines().find((l) => l.msg === "ready" && l.workers === 2).pids as number[];
    expect(pids).toHaveLength(2);
    served.child.kill("SIGTERM");
    const result = await served.child;
    expect(result.exitCode, String(result.stderr)).toBe(0);
    const closed = served.lines().filter((l) => l.msg === "closed");
    expect(closed.map((l) => l.worker ?? "primary").sort()).toEqual([1, 2, "primary"].sort());
    for (const pid of pids) expect(() => process.kill(pid, 0)).toThrow(); // no worker left behind
  });

  it("refuses a bad --workers value with exit code 2", async () => {
    const r = await mlship(["serve", "--store", mkdtempSync(join(tmpdir(), "mlship-empty-")), "--model", "churn@staging", "--workers", "zero"]);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/--workers/);
  });
});

// Requests no HTTP client sends, on one `--workers 2` server with a token and short timeouts: each is answered
// in mlship's error shape within a deadline, no model version is named before the token is checked, the query
// string never reaches the log, and the server stays healthy.
describe("hostile HTTP (--workers 2, a token, short timeouts)", () => {
  const TOKEN = "t0ken-for-hostile";
  const AUTH = `authorization: Bearer ${TOKEN}\r\n`;
  const P = "/v1/models/churn/predict";
  const post = (path: string, length: number) => `POST ${path} HTTP/1.1\r\nhost: x\r\n${AUTH}content-type: application/json\r\ncontent-length: ${length}\r\n\r\n`;
  let served: Awaited<ReturnType<typeof serveChild>>;

  beforeAll(async () => {
    const tokenFile = join(work, "hostile-token.txt");
    writeFileSync(tokenFile, `${TOKEN}\n`);
    const flags = ["--request-timeout", "2s", "--headers-timeout", "1s", "--idle-timeout", "1s"];
    served = await serveChild(["--store", storeDir, "--model", "churn@staging", "--workers", "2", "--token-file", tokenFile, ...flags], (l) => l.msg === "ready" && l.workers === 2);
  });
  afterAll(async () => {
    served?.child.kill("SIGTERM");
    await served?.child.catch(() => undefined);
  });

  // An answer in mlship's shape: JSON {"error": {"code", "message"}}, and no model version named. An answer a route
  // gave also names its request id, the one in the x-request-id header (answers before routing have the header only).
  const expectRefused = (r: RawAnswer, status: number, code: string, withinMs: number) => {
    expect(r.status, r.text).toBe(status);
    expect(r.headers["content-type"]).toMatch(/^application\/json/);
    const id = (r.json as { error?: { requestId?: unknown } } | undefined)?.error?.requestId;
    expect(r.json).toEqual({ error: { code, message: expect.any(String), ...(id === undefined ? {} : { requestId: r.headers["x-request-id"] }) } });
    expect(r.headers["x-mlship-model-version"]).toBeUndefined();
    expect(r.ms).toBeLessThan(withinMs);
  };

  it.concurrent.each<[string, Step[], { halfClose?: boolean }, number, string, number, number]>([
    // what, steps, options, status, code, not before (ms), answered within (ms)
    ["a body dripped a byte every 300 ms: --request-timeout", [post(P, 40), ...Array.from({ length: 40 }, (): Step[] => [300, "{"]).flat()], {}, 408, "E_REQUEST_TIMEOUT", 1900, 6000],
    ["a body shorter than its content-length, connection kept open: --idle-timeout", [post(P, 100), '{"records":[]}'], {}, 408, "E_REQUEST_TIMEOUT", 900, 5000],
    ["a body shorter than its content-length, then the client's FIN", [post(P, 100), '{"records":[]}'], { halfClose: true }, 400, "E_INCOMPLETE_REQUEST", 0, 3000],
    ["headers dripped a line every 300 ms: --headers-timeout", ["GET /v2/models/churn HTTP/1.1\r\n", ...Array.from({ length: 40 }, (): Step[] => [300, "x-a: b\r\n"]).flat()], {}, 408, "E_REQUEST_TIMEOUT", 900, 5000],
    ["bad chunked encoding", [`POST ${P} HTTP/1.1\r\nhost: x\r\n${AUTH}content-type: application/json\r\ntransfer-encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n`], {}, 400, "E_BAD_HTTP", 0, 3000],
    ["a request line that is not HTTP", ["HELLO /\r\n\r\n"], {}, 400, "E_BAD_HTTP", 0, 3000],
    ["headers over 16 KB (431)", [`GET /v2/models/churn HTTP/1.1\r\nhost: x\r\n${AUTH}x-big: ${"a".repeat(20_000)}\r\n\r\n`], {}, 431, "E_HEADERS_TOO_LARGE", 0, 3000],
    ["a path segment over 256 characters (414)", [`GET /v2/models/${"m".repeat(300)} HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n`], {}, 414, "E_URI_TOO_LONG", 0, 3000],
    ["bad percent-encoding in the path", ["GET /v2/models/%zz HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n"], {}, 400, "E_BAD_URL", 0, 3000],
    ["no token (401)", ["GET /v2/models/churn HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n"], {}, 401, "E_UNAUTHORIZED", 0, 3000],
  ])("%s", async (_what, steps, opts, status, code, notBeforeMs, withinMs) => {
    const r = await rawRequest(served.url, steps, { ...opts, giveUpMs: withinMs + 2000 });
    expectRefused(r, status, code, withinMs);
    expect(r.ms).toBeGreaterThanOrEqual(notBeforeMs);
  });

  it("keeps a query string (?api_key=…) out of the log of a refused request, and stays healthy", async () => {
    const r = await rawRequest(served.url, [post(`${P}?api_key=SECRET-IN-QUERY`, 40), 1500, "{"], { giveUpMs: 8000 });
    expectRefused(r, 408, "E_REQUEST_TIMEOUT", 6000);
    const end = Date.now() + 5000;
    const refusedLine = () => served.lines().find((l) => l.msg === "request refused" && String(l.url).startsWith(`${P}?`));
    while (!refusedLine() && Date.now() < end) await new Promise((res) => setTimeout(res, 50));
    expect(refusedLine()).toMatchObject({ level: "warn", status: 408, code: "E_REQUEST_TIMEOUT", method: "POST", url: `${P}?<redacted>` });
    const log = JSON.stringify(served.lines());
    expect(log).not.toContain("SECRET-IN-QUERY");
    expect(log).not.toContain(TOKEN);

    const auth = { authorization: `Bearer ${TOKEN}` };
    expect((await requestFresh(served.url, "GET", "/v2/health/ready")).status).toBe(200);
    const ok = await requestFresh(served.url, "POST", P, sampleBody(), auth);
    expect(ok.status, ok.text).toBe(200);
    expect(ok.headers["x-mlship-model-version"]).toBe("churn@1");
    expect(served.lines().filter((l) => l.msg === "a worker exited")).toEqual([]);
  });
});
