// A damaged store is named and contained, on the local store and on a real S3 server: one damaged record
// marks its model in `models list` (the others are listed), `models show` names the key (exit 1,
// E_STORE_RECORD), `store check --json` reports exactly the damage; and `serve` does not swap-loop on an
// alias whose version is the string "2".
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { join } from "node:path";
import { openStore, type Store } from "../../src/store/index.js";
import { aliasKey, moveAlias, tagsKey, versionKey } from "../../src/registry/index.js";
import { runKey, writeRunRecord, type RunRecord } from "../../src/runs/record.js";
import { createLogger, startServer } from "../../src/serve/index.js";
import { mlship } from "../helpers/cli.js";
import { buildRun, seedVersion } from "../helpers/s3-artifacts.js";
import { startS3Server, type S3TestServer } from "../helpers/s3-server.js";
import { call } from "../helpers/serve.js";
import { s3Location } from "../helpers/store-backends.js";
import { tempDir } from "../helpers/tmp.js";

let server: S3TestServer;
beforeAll(async () => {
  server = await startS3Server();
});
afterAll(async () => {
  await server?.stop();
});

const root = tempDir("mlship-store-damage-");
let n = 0;

interface Backend {
  location: string;
  env: Record<string, string>;
  store: Store;
}
const cache = () => ({ MLSHIP_CACHE_DIR: join(root, `cache-${n++}`) });
const backends: [string, () => Backend][] = [
  ["local", () => {
    const location = join(root, `store-${n++}`);
    return { location, env: cache(), store: openStore(location, "/") };
  }],
  ["s3", () => {
    const location = s3Location(server, "damage");
    const env = { ...server.env, ...cache() };
    return { location, env, store: openStore(location, "/", env) };
  }],
];

const run = (job: string, runId: string): RunRecord => ({ runId, job, status: "succeeded", submittedAt: "2026-11-27T08:00:00Z", argv: ["spark-submit"], specFile: "jobs/x.yaml", specSha256: "a".repeat(64), gitCommit: null });

// Two models with real artifacts: churn@1, churn@2 (production -> 1) and iris@1, and a run record each.
async function seed(b: Backend): Promise<void> {
  await seedVersion(b.store, "churn", buildRun("churn", 2048, "r1"));
  await seedVersion(b.store, "churn", buildRun("churn", 2048, "r2"));
  await seedVersion(b.store, "iris", buildRun("iris", 2048, "r1"));
  expect((await moveAlias(b.store, "churn", "production", 1)).ok).toBe(true);
  await writeRunRecord(b.store, run("churn", "r1"));
  await writeRunRecord(b.store, run("iris", "r1"));
}

// Replaces an object with the first `bytes` bytes of itself.
async function truncate(store: Store, key: string, bytes: number): Promise<void> {
  const got = await store.get(key);
  if (!got.ok) throw new Error(`${key} is missing`);
  await store.put(key, got.body.subarray(0, bytes));
}

describe.each(backends)("a damaged record on the %s store", (_name, fresh) => {
  const cli = (b: Backend, ...args: string[]) => mlship([...args, "--store", b.location], { env: b.env });

  it("models list marks the damaged model and lists the other; models show names the key; store check reports exactly the damage", async () => {
    const b = fresh();
    await seed(b);
    const clean = await cli(b, "store", "check", "--json");
    expect(clean.exitCode, clean.stdout + clean.stderr).toBe(0);
    expect(JSON.parse(clean.stdout)).toMatchObject({ ok: true, problems: [], checked: { models: 2, versions: 3, aliases: 1, runs: 2, artifactFiles: 18 } });

    const damaged = versionKey("churn", 2);
    await truncate(b.store, damaged, 200);

    const list = await cli(b, "models", "list", "--json");
    expect(list.exitCode, list.stderr).toBe(0);
    const models = JSON.parse(list.stdout).models;
    expect(models.find((m: { model: string }) => m.model === "iris")).toMatchObject({ latest: 1, algorithm: "logistic_regression", damaged: [] });
    expect(models.find((m: { model: string }) => m.model === "churn")).toMatchObject({ latest: 2, aliases: { production: 1 }, damaged: [{ key: damaged, problems: [expect.stringMatching(/^not valid JSON/)] }] });
    const text = await cli(b, "models", "list");
    expect(text.exitCode).toBe(0);
    expect(text.stdout).toMatch(/^churn \(DAMAGED\)\s+2\s+2\s+-/m);
    expect(text.stdout).toMatch(/^iris\s+1\s+1\s+logistic_regression/m);
    expect(text.stdout).toContain(`damaged: ${damaged}: not valid JSON`);

    const show = await cli(b, "models", "show", "churn@2", "--json");
    expect(show.exitCode).toBe(1);
    expect(JSON.parse(show.stdout).error).toMatchObject({ code: "E_STORE_RECORD", message: expect.stringContaining(`damaged store record ${damaged} in ${b.location}: not valid JSON`) });
    const showText = await cli(b, "models", "show", "churn@latest");
    expect(showText.exitCode).toBe(1);
    expect(showText.stderr).toContain(`mlship: damaged store record ${damaged}`);
    expect(showText.stderr).not.toMatch(/Unterminated string in JSON at position 200\s*$/m); // not the bare SyntaxError
    expect((await cli(b, "models", "show", "churn@1")).exitCode).toBe(0);

    const versions = await cli(b, "models", "versions", "churn", "--json");
    expect(versions.exitCode, versions.stderr).toBe(0);
    expect(JSON.parse(versions.stdout)).toMatchObject({ versions: [{ version: 1, aliases: ["production"] }], damaged: [{ key: damaged }] });

    const check = await cli(b, "store", "check", "--json");
    expect(check.exitCode).toBe(1);
    expect(JSON.parse(check.stdout).problems).toEqual([{ key: damaged, kind: "version", message: expect.stringMatching(/^not valid JSON/) }]);
  });

  it("reports a string alias version, wrong-shaped tags and run records, and a changed artifact, each under its key", async () => {
    const b = fresh();
    await seed(b);
    const alias = aliasKey("churn", "production");
    await b.store.put(alias, JSON.stringify({ model: "churn", alias: "production", version: "2" }));
    await b.store.put(tagsKey("iris", 1), JSON.stringify({ model: "iris", version: 1, tags: null, updatedAt: "t" }));
    await b.store.put(runKey("iris", "r1"), "[]");
    const artifact = "runs/churn/r2/model/parity.arrow";
    const parity = await b.store.get(artifact);
    if (!parity.ok) throw new Error("no parity.arrow");
    const flipped = Buffer.from(parity.body);
    flipped[100] ^= 0xff;
    await b.store.put(artifact, flipped);

    const check = await cli(b, "store", "check", "--json");
    expect(check.exitCode, check.stderr).toBe(1);
    const problems = JSON.parse(check.stdout).problems as { key: string; kind: string; message: string }[];
    expect(problems.map((p) => [p.key, p.kind]).sort()).toEqual(
      [
        [alias, "alias"],
        [artifact, "artifact"],
        [tagsKey("iris", 1), "tags"],
        [runKey("iris", "r1"), "run"],
      ].sort(),
    );
    expect(problems.find((p) => p.key === alias)!.message).toBe('version: expected number, got "2"');
    expect(problems.find((p) => p.key === artifact)!.message).toMatch(/^sha256 does not match MANIFEST.json/);
    const text = await cli(b, "store", "check");
    expect(text.exitCode).toBe(1);
    expect(text.stdout).toContain(`${alias}: version: expected number, got "2"`);
    expect(text.stdout).toMatch(/^4 problems in /m);

    // The alias is damaged, not moved: resolving it fails naming it; the listings contain it.
    const show = await cli(b, "models", "show", "churn@production", "--json");
    expect(show.exitCode).toBe(1);
    expect(JSON.parse(show.stdout).error).toMatchObject({ code: "E_STORE_RECORD", message: expect.stringContaining(alias) });
    const runs = await cli(b, "runs", "list", "--json");
    expect(runs.exitCode, runs.stderr).toBe(0);
    expect(JSON.parse(runs.stdout)).toMatchObject({ runs: [{ job: "churn", runId: "r1" }], damaged: [{ key: runKey("iris", "r1") }] });
  });
});

describe("serve and a damaged alias", () => {
  it("keeps the current version and logs once when the alias's version becomes the string \"2\"; swaps when it is repaired", async () => {
    const storeDir = join(root, "serve-store");
    const store = openStore(storeDir, "/");
    await seedVersion(store, "churn", buildRun("churn", 2048, "r1"));
    await seedVersion(store, "churn", buildRun("churn", 2048, "r2"));
    expect((await moveAlias(store, "churn", "production", 1)).ok).toBe(true);
    const lines: { msg: string; error?: string }[] = [];
    const log = createLogger({ write: (s: string) => lines.push(JSON.parse(s)) }, true);
    const s = await startServer({ store, log, now: () => new Date() }, { models: ["churn@production"], host: "127.0.0.1", port: 0, token: null, pollIntervalMs: 3_600_000, bodyLimit: 1 << 20, serverVersion: "test", drainTimeoutMs: 1000 });
    try {
      await s.ready;
      const good = await moveAlias(store, "churn", "production", 2, { expectVersion: 1 });
      await moveAlias(store, "churn", "production", 1);
      const key = aliasKey("churn", "production");
      await store.put(key, JSON.stringify({ ...(good.ok ? good.record : {}), version: "2" }));
      for (let i = 0; i < 4; i++) await s.pollNow();
      const served = await call(s.url, "POST", "/v1/models/churn/predict", { body: { records: [{ x1: 0.5, x2: 1 }] } });
      expect(served.status).toBe(200);
      expect(served.headers.get("x-mlship-model-version")).toBe("churn@1");
      expect(lines.filter((l) => /alias moved|swapped/.test(l.msg))).toEqual([]);
      const warned = lines.filter((l) => l.msg.startsWith("cannot read the alias"));
      expect(warned).toHaveLength(1);
      expect(warned[0]!.error).toContain(`damaged store record ${key}`);
      expect(warned[0]!.error).toContain('version: expected number, got "2"');

      await store.put(key, JSON.stringify({ ...(good.ok ? good.record : {}), version: 2 }));
      await s.pollNow();
      expect(lines.some((l) => l.msg === "the alias can be read again")).toBe(true);
      expect(lines.filter((l) => l.msg === "swapped")).toHaveLength(1);
      const after = await call(s.url, "POST", "/v1/models/churn/predict", { body: { records: [{ x1: 0.5, x2: 1 }] } });
      expect(after.headers.get("x-mlship-model-version")).toBe("churn@2");
    } finally {
      await s.close();
    }
  });
});
