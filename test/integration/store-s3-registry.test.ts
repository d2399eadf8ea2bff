// The registry on both backends: concurrent registrations lose nothing, racing alias moves have one winner.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { execa } from "execa";
import { join } from "node:path";
import { openStore } from "../../src/store/index.js";
import { getAlias, moveAlias, registerVersion, resolveModelRef, versionNumbers } from "../../src/registry/index.js";
import { projectRoot } from "../helpers/cli.js";
import { startS3Server, type S3TestServer } from "../helpers/s3-server.js";
import { s3Location, storeBackends } from "../helpers/store-backends.js";
import { tempDir } from "../helpers/tmp.js";
import { versionInput } from "../helpers/registry-input.js";

let server: S3TestServer;
beforeAll(async () => {
  server = await startS3Server();
});
afterAll(async () => {
  await server?.stop();
});

const oneToN = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

describe.each(storeBackends(tempDir(), () => server))("registry on the %s store", (_name, fresh) => {
  it("gives 20 concurrent registrations 20 distinct versions, none lost", async () => {
    const s = fresh();
    const made = await Promise.all(Array.from({ length: 20 }, (_, i) => registerVersion(s, versionInput("churn", `run-${i}`))));
    expect(made.map((v) => v.version).sort((a, b) => a - b)).toEqual(oneToN(20));
    expect(await versionNumbers(s, "churn")).toEqual(oneToN(20));
    const runs = await Promise.all(made.map(async (v) => (await resolveModelRef(s, `churn@${v.version}`))!.lineage.runId));
    expect(runs).toEqual(made.map((v) => v.lineage.runId));
  });

  it("lets exactly one of two racing alias moves with an expected version win (5 rounds)", async () => {
    const s = fresh();
    for (let i = 0; i < 3; i++) await registerVersion(s, versionInput("m"));
    for (let round = 0; round < 5; round++) {
      await moveAlias(s, "m", "production", 1);
      const [a, b] = await Promise.all([moveAlias(s, "m", "production", 2, { expectVersion: 1 }), moveAlias(s, "m", "production", 3, { expectVersion: 1 })]);
      const seen = `round ${round}: ${JSON.stringify([a, b])}`;
      expect([a.ok, b.ok].filter(Boolean), seen).toHaveLength(1);
      expect(a.ok ? b : a, seen).toMatchObject({ ok: false, reason: "conflict" });
      const alias = await getAlias(s, "m", "production");
      expect(alias?.record.version).toBe(a.ok ? 2 : 3);
      expect(alias?.record.previous).toBe(1);
    }
  });
});

// Each child opens the store the way the CLI does (openStore with its own environment) from the built dist.
const childScript = `
  const { openStore } = await import(${JSON.stringify(join(projectRoot, "dist/store/index.js"))});
  const registry = await import(${JSON.stringify(join(projectRoot, "dist/registry/index.js"))});
  const store = openStore(process.env.STORE, process.cwd(), process.env);
  const [what, arg, startAt] = process.argv.slice(1);
  await store.list("registry"); // connect first, then start together, so the racing requests really overlap
  await new Promise((r) => setTimeout(r, Math.max(0, Number(startAt ?? 0) - Date.now())));
  if (what === "register") {
    const v = await registry.registerVersion(store, {
      model: "churn", algorithm: "logistic_regression", task: "binary_classification",
      artifacts: { store: store.location, prefix: "p", manifestSha256: "m", files: 1, bytes: 1 }, metrics: {},
      parity: { rows: 200, maxAbsDiff: 0, tolerance: 1e-9, labelMismatches: 0, passed: true },
      lineage: { runId: arg, job: "churn", specFile: "f", specSha256: "s", gitCommit: null, data: { train: "d", format: "parquet" } },
    });
    console.log(JSON.stringify({ runId: arg, version: v.version }));
  } else {
    console.log(JSON.stringify(await registry.moveAlias(store, "churn", "production", Number(arg), { expectVersion: 1 })));
  }`;

// Only the S3 settings and nothing else from the developer's environment reach the children.
const child = (args: string[], store: string, startAt = 0) =>
  execa(process.execPath, ["--input-type=module", "-e", childScript, ...args, String(startAt)], {
    extendEnv: false,
    env: { ...server.env, STORE: store, PATH: process.env.PATH ?? "", AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" },
  });

describe("registry on S3 across processes", () => {
  it("gives every one of 20 processes its own version", async () => {
    const store = s3Location(server, "procs");
    const startAt = Date.now() + 3000;
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => child(["register", `run-${i}`], store, startAt)));
    const made = results.map((r) => JSON.parse(String(r.stdout)) as { runId: string; version: number });
    expect(made.map((m) => m.version).sort((a, b) => a - b)).toEqual(oneToN(20));
  });

  it("lets exactly one of two processes moving an alias from the same expected version win", async () => {
    const store = s3Location(server, "alias-procs");
    for (let i = 0; i < 3; i++) await child(["register", `run-${i}`], store);
    const s = openStore(store, "/", server.env);
    await moveAlias(s, "churn", "production", 1);
    const startAt = Date.now() + 1500;
    const [a, b] = await Promise.all([child(["alias", "2"], store, startAt), child(["alias", "3"], store, startAt)]);
    const moves = [JSON.parse(String(a.stdout)), JSON.parse(String(b.stdout))] as { ok: boolean }[];
    expect(moves.filter((m) => m.ok), JSON.stringify(moves)).toHaveLength(1);
    expect((await getAlias(s, "churn", "production"))?.record.version).toBe(moves[0]!.ok ? 2 : 3);
  });

  it("does not load the AWS SDK until the S3 store is first used", async () => {
    const script = `
      import { createRequire } from "node:module";
      const loaded = () => Object.keys(createRequire(import.meta.url).cache).some((k) => k.includes("@aws-sdk"));
      const { openStore } = await import(${JSON.stringify(join(projectRoot, "dist/store/index.js"))});
      const store = openStore(process.env.STORE, "/", process.env);
      const before = loaded();
      await store.list("");
      console.log(JSON.stringify({ before, after: loaded() }));`;
    const r = await execa(process.execPath, ["--input-type=module", "-e", script], {
      extendEnv: false,
      env: { ...server.env, STORE: s3Location(server, "lazy"), AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" },
    });
    expect(JSON.parse(String(r.stdout))).toEqual({ before: false, after: true });
  });
});
