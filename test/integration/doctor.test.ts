// mlship doctor against the real venv, a real local store and a real S3 server: the --json shape and the exit codes.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { join } from "node:path";
import { mlship } from "../helpers/cli.js";
import { startS3Server, uniquePrefix, type S3TestServer } from "../helpers/s3-server.js";
import { tempDir } from "../helpers/tmp.js";

let server: S3TestServer;
beforeAll(async () => {
  server = await startS3Server();
}, 60_000);
afterAll(async () => {
  await server?.stop();
});

const IDS = ["node", "java", "spark", "python", "store", "s3-credentials", "port", "mlship-home"];
const dir = tempDir("mlship-doctor-");
const parse = (stdout: string) => JSON.parse(stdout) as { ok: boolean; counts: Record<string, number>; checks: { id: string; status: string; detail: string; fix?: string }[] };
const byId = (r: ReturnType<typeof parse>) => Object.fromEntries(r.checks.map((c) => [c.id, c]));

describe("mlship doctor --json", () => {
  it("a local store: every check, ok, the venv's Python with its modules", async () => {
    const r = await mlship(["doctor", "--json", "--store", join(dir, "store")], { env: { AWS_ACCESS_KEY_ID: "", AWS_SECRET_ACCESS_KEY: "", AWS_PROFILE: "" } });
    expect(r.exitCode, r.stderr).toBe(0);
    const report = parse(r.stdout);
    expect(report.checks.map((c) => c.id)).toEqual(IDS);
    expect(report.ok).toBe(true);
    for (const c of report.checks) expect(["ok", "warn", "fail"]).toContain(c.status);
    const c = byId(report);
    expect(c.spark).toMatchObject({ status: "ok", detail: expect.stringMatching(/^Spark 4\.1\.\d+ at .*spark-submit/) });
    expect(c.python).toMatchObject({ status: "ok", detail: expect.stringMatching(/numpy [\d.]+, pyarrow [\d.]+, pyspark 4\.1/) });
    expect(c.store).toMatchObject({ status: "ok", detail: expect.stringContaining("does not exist yet") });
  });

  it("an S3 store: credentials present (never printed) and the bucket listed; a missing bucket fails with exit 1", async () => {
    const good = await mlship(["doctor", "--json", "--store", `s3://${server.bucket}/${uniquePrefix("doctor")}`], { env: server.env });
    expect(good.exitCode, good.stdout + good.stderr).toBe(0);
    const c = byId(parse(good.stdout));
    expect(c["s3-credentials"]).toMatchObject({ status: "ok", detail: expect.stringContaining("AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY in the environment") });
    expect(c.store).toMatchObject({ status: "ok", detail: expect.stringContaining("answered a listing") });
    expect(good.stdout + good.stderr).not.toContain(server.env.AWS_SECRET_ACCESS_KEY);

    const bad = await mlship(["doctor", "--json", "--store", "s3://mlship-doctor-no-such-bucket/p"], { env: server.env });
    expect(bad.exitCode).toBe(1);
    const report = parse(bad.stdout);
    expect(report.ok).toBe(false);
    expect(byId(report).store).toMatchObject({ status: "fail", detail: expect.stringContaining("NoSuchBucket"), fix: expect.any(String) });
  });
});
