// mlship serve from an S3 store (the real S3 test server): artifacts pulled, verified and certified, answers
// over real HTTP, and a hot swap when the alias moves in S3.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { join } from "node:path";
import { openStore } from "../../src/store/index.js";
import { moveAlias } from "../../src/registry/index.js";
import { buildRun, expectedProbability, seedVersion } from "../helpers/s3-artifacts.js";
import { startS3Server, type S3TestServer } from "../helpers/s3-server.js";
import { s3Location } from "../helpers/store-backends.js";
import { call, serveChild } from "../helpers/serve.js";
import { tempDir } from "../helpers/tmp.js";

let server: S3TestServer;
beforeAll(async () => {
  server = await startS3Server();
});
afterAll(async () => {
  await server?.stop();
});

describe("mlship serve with an S3 store", () => {
  it("answers from the version an alias names and swaps when the alias moves", async () => {
    const location = s3Location(server, "serve");
    const store = openStore(location, "/", server.env);
    await seedVersion(store, "sm", buildRun("sm", 1 << 20, "r1"));
    expect((await moveAlias(store, "sm", "production", 1)).ok).toBe(true);
    const env = { ...server.env, MLSHIP_CACHE_DIR: join(tempDir("mlship-serve-s3-"), "cache") };
    const { child, url, lines } = await serveChild(["--store", location, "--model", "sm@production", "--poll-interval", "0.5"], (l) => l.msg === "loaded", 60_000, env);
    try {
      const body = { records: [{ x1: 0.5, x2: 1 }] };
      const first = await call(url, "POST", "/v1/models/sm/predict", { body });
      expect(first.status, first.text + JSON.stringify(lines().slice(-6))).toBe(200);
      expect(first.headers.get("x-mlship-model-version")).toBe("sm@1");
      const p = (first.json as { predictions: { probability: number[] }[] }).predictions[0]!.probability[1]!;
      expect(Math.abs(p - expectedProbability(0.5, 1))).toBeLessThan(1e-12);

      await seedVersion(store, "sm", buildRun("sm", 1 << 20, "r2"));
      expect((await moveAlias(store, "sm", "production", 2)).ok).toBe(true);
      const deadline = Date.now() + 30_000;
      let version = "sm@1";
      while (version !== "sm@2" && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 200));
        const again = await call(url, "POST", "/v1/models/sm/predict", { body });
        expect(again.status).toBe(200);
        version = String(again.headers.get("x-mlship-model-version"));
      }
      expect(version, JSON.stringify(lines().slice(-5))).toBe("sm@2");
      expect(lines().some((l) => l.msg === "swapped")).toBe(true);
    } finally {
      child.kill("SIGTERM");
      await child;
    }
  });
});
