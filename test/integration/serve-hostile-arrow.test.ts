// Hostile Arrow bodies against a LIVE `mlship serve` (a child process, real HTTP): the hand-found ones of
// test/fixtures/hostile-arrow as regression cases, the limits (--max-rows, --max-columns, --max-output), a
// seeded corpus of ~3,000 mutated streams and files (every one answered in time, never a 5xx, the server alive,
// its memory bounded, SIGTERM still handled), and `mlship predict` on the same files (no hang, no invented rows).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { tableToIPC } from "apache-arrow";
import { mlshipChild } from "../helpers/cli.js";
import { tempDir } from "../helpers/tmp.js";
import { serveChild } from "../helpers/serve.js";
import { quickstartStore } from "../helpers/quickstart-store.js";
import { HOSTILE_DIR, fixedCases, mutatedCorpus, quickstartTable, wide20000, wideBody } from "../helpers/arrow-corpus.js";

const work = tempDir("mlship-serve-hostile-");
const storeDir = join(work, "store");
const ARROW = "application/vnd.apache.arrow.stream";
const fixture = (name: string) => readFileSync(join(HOSTILE_DIR, name));

type Served = Awaited<ReturnType<typeof serveChild>>;
let server: Served;

// POSTs an Arrow body; a request not answered within `ms` is a failure (status 0), not a hang of the test.
async function post(s: Served, body: Uint8Array, ms = 10_000): Promise<{ status: number; code: string | null; ms: number }> {
  const t0 = performance.now();
  try {
    const res = await fetch(`${s.url}/v1/models/churn/predict`, { method: "POST", headers: { "content-type": ARROW }, body, signal: AbortSignal.timeout(ms) });
    const text = Buffer.from(await res.arrayBuffer());
    let code: string | null = null;
    if (res.headers.get("content-type")?.startsWith("application/json")) code = (JSON.parse(text.toString("utf8")) as { error?: { code?: string } }).error?.code ?? null;
    return { status: res.status, code, ms: performance.now() - t0 };
  } catch {
    return { status: 0, code: null, ms: performance.now() - t0 };
  }
}

const alive = async (s: Served) => (await fetch(`${s.url}/v2/health/live`, { signal: AbortSignal.timeout(5_000) }).catch(() => null))?.status === 200;
const rssMb = (s: Served) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${s.child.pid}/status`, "utf8"))?.[1] ?? 0) / 1024;

beforeAll(async () => {
  await quickstartStore(storeDir);
  server = await serveChild(["--store", storeDir, "--model", "churn@1"], (l) => l.msg === "ready");
});

afterAll(() => {
  server?.child.kill("SIGKILL");
});

describe("hand-found hostile bodies (test/fixtures/hostile-arrow)", () => {
  it("the valid stream and file are scored", async () => {
    expect((await post(server, fixture("good.arrows"))).status).toBe(200);
    expect((await post(server, fixture("good.arrow"))).status).toBe(200);
  });

  it.each([
    ["hang_stream.arrows", 400, "E_BAD_ARROW"], // was: allocation until V8's heap limit, the process died
    ["hang_onebyte.arrow", 400, "E_BAD_ARROW"], // was: an endless loop, SIGTERM never handled
    ["lie_1k.arrows", 400, "E_BAD_ARROW"], // was: a 500 (RangeError in the dictionary hash)
    ["liedictnull_10M.arrows", 413, "E_TOO_MANY_ROWS"], // was: a 200 with 480 MB of predictions for rows that do not exist
  ])("%s is answered %i %s at once, and the server lives on", async (name, status, code) => {
    const r = await post(server, fixture(name));
    expect(r).toMatchObject({ status, code });
    expect(r.ms).toBeLessThan(2_000);
    expect(await alive(server)).toBe(true);
  });

  it("a wide schema (20,000 columns in 2 MB) is refused before decoding (was: 4 s of blocked event loop)", async () => {
    const r = await post(server, wide20000());
    expect(r).toMatchObject({ status: 413, code: "E_TOO_MANY_COLUMNS" });
    expect(r.ms).toBeLessThan(1_000);
  });
});

describe("limits: --max-rows, --max-columns, --max-output", () => {
  let small: Served;
  beforeAll(async () => {
    small = await serveChild(["--store", storeDir, "--model", "churn@1", "--max-rows", "50", "--max-columns", "10", "--max-output", "1kb"], (l) => l.msg === "ready");
  });
  afterAll(() => {
    small?.child.kill("SIGKILL");
  });

  it("answers 413 with a stable code past each limit, and scores what fits", async () => {
    // churn's answer is 48 bytes a row (prediction, label, two 2-class lists): 1 KB holds 21 rows.
    expect(await post(small, tableToIPC(quickstartTable(20), "stream"))).toMatchObject({ status: 200 });
    expect(await post(small, tableToIPC(quickstartTable(30), "stream"))).toMatchObject({ status: 413, code: "E_OUTPUT_TOO_LARGE" });
    expect(await post(small, tableToIPC(quickstartTable(51), "stream"))).toMatchObject({ status: 413, code: "E_TOO_MANY_ROWS" });
    expect(await post(small, wideBody(11))).toMatchObject({ status: 413, code: "E_TOO_MANY_COLUMNS" });
  });
});

describe("a seeded fuzz corpus over real HTTP", () => {
  it("answers each of ~3,000 mutated bodies within its deadline and never with a 5xx; the server stays alive, small and stoppable", async () => {
    const corpus = [...mutatedCorpus(7, 600), ...fixedCases()];
    const failures: string[] = [];
    const statuses = new Map<number, number>();
    for (const c of corpus) {
      const r = await post(server, c.body, 5_000);
      statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
      if (r.status === 0 || r.status >= 500) failures.push(`${c.name}: ${r.status === 0 ? "no answer within 5 s" : r.status}`);
      if (failures.length >= 5) break;
    }
    expect(failures).toEqual([]);
    expect(statuses.get(200) ?? 0).toBeGreaterThan(50); // mutations of values still score
    expect(await alive(server)).toBe(true);
    expect(rssMb(server)).toBeLessThan(400);
    server.child.kill("SIGTERM");
    const exit = await Promise.race([server.child, new Promise((r) => setTimeout(() => r(null), 15_000))]);
    expect(exit, "the server did not exit within 15 s of SIGTERM").not.toBeNull();
  }, 120_000);
});

describe("mlship predict on hostile files", () => {
  // Runs predict with a deadline; a hang is a failure, not a stuck test.
  async function predict(input: string, out: string) {
    const child = mlshipChild(["predict", "churn@1", "--store", storeDir, "-i", input, "-o", out]);
    const timer = setTimeout(() => child.kill("SIGKILL"), 30_000);
    const r = await child;
    clearTimeout(timer);
    return { exitCode: r.exitCode, killed: r.signal === "SIGKILL", stdout: String(r.stdout), stderr: String(r.stderr) };
  }

  it("refuses a damaged file (was: a hang) and one whose rows are not in its buffers (was: 'scored 1000 of 1000 rows')", async () => {
    const hang = await predict(join(HOSTILE_DIR, "hang_onebyte.arrow"), join(work, "o1.jsonl"));
    expect(hang.killed).toBe(false);
    expect(hang.exitCode).toBe(2);
    expect(hang.stderr).toMatch(/hang_onebyte\.arrow is not valid arrow/);
    const lie = await predict(join(HOSTILE_DIR, "lie_1k.arrows"), join(work, "o2.jsonl"));
    expect(lie.exitCode).toBe(2);
    expect(lie.stderr).toMatch(/tenure_months.*1000 values/);
    expect(lie.stdout).not.toMatch(/scored/);
  });

  it("reads the whole corpus without a hang or a crash (in-process readFrame)", async () => {
    const { readFrame } = await import("../../src/predict/read.js");
    const file = join(work, "case.arrows");
    for (const c of [...mutatedCorpus(11, 200), ...fixedCases()]) {
      writeFileSync(file, c.body);
      const t0 = performance.now();
      try {
        const frame = await readFrame(file, "arrow-stream");
        expect(frame.columns.every((col) => col.length === frame.rows), c.name).toBe(true);
      } catch (err) {
        expect((err as Error).name, `${c.name}: ${(err as Error).message}`).toBe("UserError");
      }
      expect(performance.now() - t0, c.name).toBeLessThan(2_000);
    }
  });
});
