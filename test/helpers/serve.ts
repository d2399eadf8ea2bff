// Helpers for the serving tests: HTTP calls, the parity rows of a version, broken copies of a version, a served child process.
import { createHash } from "node:crypto";
import { cpSync, readFileSync, writeFileSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { join } from "node:path";
import type { ResultPromise } from "execa";
import { mlshipChild } from "./cli.js";
import { listColumn, numberColumn, readTable, stringColumn } from "../../src/model/arrow.js";
import type { InputColumn } from "../../src/model/index.js";
import { getVersion, registerVersion, type VersionRecord } from "../../src/registry/index.js";
import type { LocalStore } from "../../src/store/index.js";

export interface HttpAnswer {
  status: number;
  headers: Headers;
  text: string;
  json: any;
}

// One HTTP call; `body` objects are sent as JSON unless a content type says otherwise.
export async function call(base: string, method: string, path: string, opts: { body?: unknown; raw?: string; headers?: Record<string, string> } = {}): Promise<HttpAnswer> {
  const headers: Record<string, string> = { ...opts.headers };
  let body: string | undefined;
  if (opts.raw !== undefined) body = opts.raw;
  else if (opts.body !== undefined) {
    body = JSON.stringify(opts.body);
    headers["content-type"] ??= "application/json";
  }
  const res = await fetch(`${base}${path}`, { method, headers, body });
  const text = await res.text();
  let json: unknown = null;
  try {
    json = JSON.parse(text);
  } catch {
    /* not JSON (e.g. /metrics) */
  }
  return { status: res.status, headers: res.headers, text, json };
}

export interface ParityRows {
  schema: readonly InputColumn[];
  records: Record<string, number | string | null>[];
  spark: { prediction: number; probability: Float64Array | null; raw: Float64Array | null }[];
}

// The parity sample of a version: the input records and Spark's own outputs.
export function parityRows(store: LocalStore, record: VersionRecord, schema: readonly InputColumn[]): ParityRows {
  const table = readTable(readFileSync(store.localPath(`${record.artifacts.prefix}/parity.arrow`)));
  const cols = schema.map((c) => (c.type === "double" ? numberColumn(table, c.name) : stringColumn(table, c.name)));
  const prediction = numberColumn(table, "spark_prediction");
  const probability = listColumn(table, "spark_probability");
  const raw = listColumn(table, "spark_raw_prediction");
  const records = [];
  const spark = [];
  for (let r = 0; r < table.numRows; r++) {
    const rec: Record<string, number | string | null> = {};
    schema.forEach((c, i) => (rec[c.name] = cols[i]![r] ?? null));
    records.push(rec);
    spark.push({ prediction: prediction[r]!, probability: probability[r] ?? null, raw: raw[r] ?? null });
  }
  return { schema, records, spark };
}

// An OIP v2 request for records: one tensor per input column.
export function tensorsOf(schema: readonly InputColumn[], records: Record<string, unknown>[]) {
  return {
    inputs: schema.map((c) => ({ name: c.name, shape: [records.length], datatype: c.type === "double" ? "FP64" : "BYTES", data: records.map((r) => r[c.name]) })),
  };
}

const sha = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");

// Registers a new version whose artifacts are a copy of `from`'s, changed by `mutate` (the copy's model/ folder).
// With `rewriteManifest` the MANIFEST.json is made consistent again (so only the parity certificate can catch it).
export async function registerBrokenCopy(
  store: LocalStore,
  from: VersionRecord,
  name: string,
  mutate: (modelDir: string) => void,
  rewriteManifest: boolean,
): Promise<VersionRecord> {
  const prefix = `runs/churn/${name}/model`;
  const dir = store.localPath(prefix)!;
  cpSync(store.localPath(from.artifacts.prefix)!, dir, { recursive: true });
  mutate(dir);
  let manifestSha256 = from.artifacts.manifestSha256;
  if (rewriteManifest) {
    const manifest = JSON.parse(readFileSync(join(dir, "MANIFEST.json"), "utf8")) as { files: { path: string; sha256: string; size: number }[] };
    for (const f of manifest.files) {
      const body = readFileSync(join(dir, f.path));
      f.sha256 = sha(body);
      f.size = body.byteLength;
    }
    const text = `${JSON.stringify(manifest, null, 2)}\n`;
    writeFileSync(join(dir, "MANIFEST.json"), text);
    manifestSha256 = sha(Buffer.from(text));
  }
  const { version: _v, createdAt: _c, ...rest } = (await getVersion(store, from.model, from.version))!;
  return registerVersion(store, { ...rest, artifacts: { ...rest.artifacts, prefix, manifestSha256 } });
}

// A `mlship serve` child process (the built CLI) and its JSON log lines; resolves once `readyWhen` matches a line.
export async function serveChild(
  args: string[],
  readyWhen: (line: any) => boolean,
  timeoutMs = 60_000,
  env: Record<string, string> = {},
): Promise<{ child: ResultPromise; url: string; lines: () => any[] }> {
  const child = mlshipChild(["serve", "--port", "0", "--json-logs", ...args], { env });
  let err = "";
  child.stderr?.on("data", (d: Buffer) => (err += d.toString()));
  const lines = () => err.split("\n").filter((l) => l.startsWith("{")).map((l) => JSON.parse(l));
  const end = Date.now() + timeoutMs;
  while (!lines().some(readyWhen)) {
    if (child.exitCode !== null || Date.now() > end) {
      child.kill("SIGKILL");
      throw new Error(`mlship serve ${args.join(" ")} did not become ready (exit ${child.exitCode}):\n${err}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  const url = lines().find((l) => l.msg === "listening")?.url as string;
  return { child, url, lines };
}

// One request on a new connection (no keep-alive), so a cluster's primary hands it to the next worker.
export function requestFresh(url: string, method: string, path: string, body?: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; text: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${url}${path}`, { method, agent: false, headers: { connection: "close", ...(body ? { "content-type": "application/json" } : {}), ...headers } }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (d: string) => (text += d));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
    });
    req.on("error", reject);
    req.end(body);
  });
}
