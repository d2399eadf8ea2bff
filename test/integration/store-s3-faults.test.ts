// Faults: with the S3 server down, calls fail after the SDK's retries with an error naming the endpoint;
// once it is back on the same port, the same calls succeed. Needs a server this suite can stop (moto).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { openStore } from "../../src/store/index.js";
import { mlshipChild } from "../helpers/cli.js";
import { buildRun, expectedProbability, seedVersion } from "../helpers/s3-artifacts.js";
import { tempDir } from "../helpers/tmp.js";
import { registerVersion, versionNumbers } from "../../src/registry/index.js";
import { startS3Server, type S3TestServer } from "../helpers/s3-server.js";
import { s3Location } from "../helpers/store-backends.js";
import { versionInput } from "../helpers/registry-input.js";

let server: S3TestServer;
beforeAll(async () => {
  server = await startS3Server();
});
afterAll(async () => {
  await server?.stop();
});

describe.skipIf(Boolean(process.env.MLSHIP_TEST_S3_ENDPOINT))("S3 store when the server goes away", () => {
  it("fails get, put and registration after retries with a clear error, then works after a restart", async () => {
    const location = s3Location(server, "faults");
    const store = openStore(location, "/", server.env);
    await store.put("before", "1"); // the client is connected and has keep-alive sockets open

    await server.stop();
    const unreachable = expect.objectContaining({
      code: "E_STORE_UNREACHABLE",
      message: expect.stringMatching(new RegExp(`^S3 endpoint ${server.endpoint.replace(/\./g, "\\.")} is unreachable \\(\\w+ after 5 attempts\\)`)),
    });
    const started = Date.now();
    await expect(store.get("k")).rejects.toEqual(unreachable);
    await expect(store.put("k", "v")).rejects.toEqual(unreachable);
    await expect(registerVersion(store, versionInput("m"))).rejects.toEqual(unreachable);
    expect(Date.now() - started).toBeLessThan(20_000);

    await server.start(); // same port; moto starts empty, the helper re-creates the bucket
    expect(await store.put("k", "v")).toMatch(/^[0-9a-f]{32}$/);
    const got = await store.get("k");
    expect(got.ok && Buffer.from(got.body).toString()).toBe("v");
    expect((await registerVersion(store, versionInput("m"))).version).toBe(1);
    expect(await versionNumbers(store, "m")).toEqual([1]);
  });

  it("mlship predict: the server stopped mid-pull fails with a clear error and writes nothing; after a restart the same command succeeds", async () => {
    const work = tempDir("mlship-s3-predict-");
    const location = s3Location(server, "predict");
    const store = openStore(location, "/", server.env);
    const run = buildRun("pm", 40 << 20); // a 40 MB "native model" file: pulled in 5 ranged GETs
    await seedVersion(store, "pm", run);
    const rows = [
      { x1: 0.5, x2: 1 },
      { x1: -1, x2: 0.25 },
    ];
    writeFileSync(join(work, "in.jsonl"), rows.map((r) => JSON.stringify(r)).join("\n"));
    const cacheDir = join(work, "cache");
    const output = join(work, "out.jsonl");
    const args = ["predict", "pm@1", "--store", location, "-i", join(work, "in.jsonl"), "-o", output];
    const env = { ...server.env, MLSHIP_CACHE_DIR: cacheDir };
    const partials = () => (existsSync(join(cacheDir, "tmp")) ? readdirSync(join(cacheDir, "tmp")).map((f) => join(cacheDir, "tmp", f)) : []);

    const child = mlshipChild(args, { env });
    // Stop the server once the large file's first part is on disk: the pull is under way.
    let stoppedMidPull = false;
    while (child.exitCode === null) {
      if (partials().some((f) => existsSync(f) && statSync(f, { throwIfNoEntry: false })?.size)) {
        await server.stop();
        stoppedMidPull = true;
        break;
      }
      await new Promise((r) => setTimeout(r, 5));
    }
    const failed = await child;
    expect(stoppedMidPull, String(failed.stderr)).toBe(true);
    expect(failed.exitCode).toBe(1);
    expect(String(failed.stderr)).toMatch(
      new RegExp(`S3 endpoint ${server.endpoint.replace(/\./g, "\\.")} is unreachable \\(\\w+ after \\d+ attempts\\) during (GetObject|HeadObject)\\b.* s3://${server.bucket}/\\S+/runs/pm/r1/model/`),
    );
    expect(existsSync(output)).toBe(false);
    expect(partials()).toEqual([]);
    const bigSha = JSON.parse(run.manifest.toString()).files.find((f: { path: string }) => f.path === "spark/data/part-00000.bin").sha256;
    expect(existsSync(join(cacheDir, "sha256", bigSha))).toBe(false);

    await server.start(); // moto starts empty: write the same run and record again, as a durable store would still hold them
    expect((await seedVersion(store, "pm", run)).version).toBe(1);
    const ok = await mlshipChild([...args, "--json"], { env });
    expect(ok.exitCode, String(ok.stderr)).toBe(0);
    expect(JSON.parse(String(ok.stdout))).toMatchObject({ ok: true, model: "pm", version: 1, rows: 2, written: 2 });
    const answers = readFileSync(output, "utf8").trim().split("\n").map((l) => JSON.parse(l));
    answers.forEach((a, i) => expect(Math.abs(a.probability[1] - expectedProbability(rows[i]!.x1, rows[i]!.x2))).toBeLessThan(1e-12));
    expect(existsSync(join(cacheDir, "sha256", bigSha))).toBe(true);
  });
});
