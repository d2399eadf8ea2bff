// `mlship serve` flags: sizes, durations, defaults, --workers and the four timeouts; every bad flag at once.
import { describe, expect, it } from "vitest";
import { parseDuration, parseServeOptions, parseSize } from "../../src/serve/runtime/options.js";

describe("serve flags", () => {
  it("parses sizes", () => {
    expect(parseSize("8mb")).toBe(8 * 1024 * 1024);
    expect(parseSize("512KB")).toBe(512 * 1024);
    expect(parseSize("1048576")).toBe(1048576);
    expect(parseSize("1.5m")).toBe(1.5 * 1024 * 1024);
    expect(parseSize("lots")).toBeNull();
  });

  it("applies the defaults and reports every bad flag at once", () => {
    expect(parseServeOptions({ model: ["churn@staging"] })).toEqual({
      ok: true,
      flags: {
        models: ["churn@staging"],
        port: 8080,
        host: "127.0.0.1",
        pollIntervalMs: 5000,
        bodyLimit: 8 * 1024 * 1024,
        workers: 1,
        inputs: { mode: "lenient", onInvalid: "fail" },
        timeouts: { requestMs: 30_000, headersMs: 10_000, idleMs: 10_000, keepAliveMs: 72_000 },
        limits: { maxRows: 1_000_000, maxColumns: 1000, maxOutputBytes: 256 * 1024 * 1024 },
      },
    });
    const bad = parseServeOptions({ port: "http", pollInterval: "-1", bodyLimit: "12", host: " ", workers: "0", onInvalid: "drop", maxRows: "0", maxColumns: "many", maxOutput: "1b" });
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.problems.map((p) => p.split(/[ :]/)[0])).toEqual(["--model", "--port", "--host", "--poll-interval", "--body-limit", "--workers", "--on-invalid", "--max-rows", "--max-columns", "--max-output"]);
  });

  it("takes --workers as a number or auto (one per CPU)", () => {
    const workers = (w: string, cpus = 6) => {
      const r = parseServeOptions({ model: ["m@1"], workers: w }, cpus);
      return r.ok ? r.flags.workers : null;
    };
    expect(workers("3")).toBe(3);
    expect(workers("auto")).toBe(6);
    expect(workers("auto", 0)).toBe(1);
    expect(workers("1.5")).toBeNull();
    expect(workers("many")).toBeNull();
  });
});

describe("serve timeouts", () => {
  it.each([
    ["30s", 30_000],
    ["500ms", 500],
    ["1.5", 1500],
    ["2m", 120_000],
    [" 10S ", 10_000],
    ["1h", 3_600_000],
    ["soon", null],
    ["-1s", null],
    ["10 days", null],
  ])("parses the duration %j as %j ms", (text, ms) => expect(parseDuration(text)).toBe(ms));

  const timeouts = (raw: Record<string, string>) => parseServeOptions({ model: ["m@1"], ...raw });
  it("takes the four timeouts, and shortens the default headers timeout to a shorter request timeout", () => {
    expect(timeouts({ requestTimeout: "5s", idleTimeout: "1s", keepAliveTimeout: "2m", headersTimeout: "2s" })).toMatchObject({ ok: true, flags: { timeouts: { requestMs: 5000, headersMs: 2000, idleMs: 1000, keepAliveMs: 120_000 } } });
    expect(timeouts({ requestTimeout: "3s" })).toMatchObject({ ok: true, flags: { timeouts: { requestMs: 3000, headersMs: 3000 } } });
  });

  it("reports every bad timeout at once", () => {
    const bad = timeouts({ requestTimeout: "0", idleTimeout: "soon", keepAliveTimeout: "2h", headersTimeout: "50ms" });
    expect(!bad.ok && bad.problems.map((p) => p.split(":")[0])).toEqual(["--request-timeout", "--headers-timeout", "--idle-timeout", "--keep-alive-timeout"]);
    const longer = timeouts({ requestTimeout: "5s", headersTimeout: "6s" });
    expect(!longer.ok && longer.problems).toEqual([expect.stringMatching(/^--headers-timeout: must not be longer than --request-timeout/)]);
  });
});

describe("--access-log", () => {
  it("is off unless asked for", () => {
    const on = parseServeOptions({ model: ["churn@staging"], accessLog: true });
    expect(on.ok && on.flags.accessLog).toBe(true);
    const off = parseServeOptions({ model: ["churn@staging"] });
    expect(off.ok && off.flags.accessLog).toBeFalsy();
  });
});
