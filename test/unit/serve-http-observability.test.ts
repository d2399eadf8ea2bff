// The app in process (fastify inject, no socket): request ids echoed and in error bodies, the access log line,
// the trace id in logs, the status page's headers and its series route.
import { afterAll, describe, expect, it } from "vitest";
import { createApp } from "../../src/serve/http/app.js";
import { Catalogue } from "../../src/serve/runtime/catalogue.js";
import { createLogger } from "../../src/serve/runtime/log.js";
import { ServeMetrics } from "../../src/serve/runtime/metrics.js";
import { DEFAULT_LIMITS, DEFAULT_POLICY } from "../../src/serve/runtime/options.js";
import { StatusStats } from "../../src/serve/http/status.js";
import { SeriesStats } from "../../src/serve/http/series.js";
import { STATUS_PAGE } from "../../src/serve/http/status-page.js";
import { served } from "../helpers/served-toy.js";

const TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
const lines: any[] = [];
const log = createLogger({ write: (s: string) => lines.push(JSON.parse(s)) }, true);
const slot = { ref: "toy@3", model: "toy", target: { kind: "version" as const, version: 3 }, aliasLabel: "", current: null };
const catalogue = new Catalogue([slot]);
catalogue.swap(slot, served());
const series = new SeriesStats(1);
const app = createApp({
  catalogue,
  metrics: new ServeMetrics("9.9.9"),
  log,
  bodyLimit: 1024 * 1024,
  inputs: DEFAULT_POLICY,
  limits: DEFAULT_LIMITS,
  token: "s3cret-token",
  serverVersion: "9.9.9",
  status: new StatusStats(catalogue, 1, new Date()),
  series,
  accessLog: true,
  cluster: null,
});
const AUTH = { authorization: "Bearer s3cret-token" };
afterAll(() => app.close());

const predict = (body: unknown, headers: Record<string, string> = {}) =>
  app.inject({ method: "POST", url: "/v1/models/toy/predict?api_key=hidden", headers: { ...AUTH, "content-type": "application/json", ...headers }, payload: JSON.stringify(body) });

describe("request ids", () => {
  it("echoes a sane x-request-id and logs it with the trace id, never the body, query or token", async () => {
    lines.length = 0;
    const res = await predict({ records: [{ x: 12345.678, color: "red" }] }, { "x-request-id": "abc-123", traceparent: `00-${TRACE}-00f067aa0ba902b7-01` });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers["x-request-id"]).toBe("abc-123");
    const access = lines.filter((l) => l.msg === "request");
    expect(access).toEqual([
      {
        time: expect.any(String),
        level: "info",
        msg: "request",
        id: "abc-123",
        traceId: TRACE,
        method: "POST",
        route: "/v1/models/:name/predict",
        model: "toy",
        alias: null,
        version: 3,
        status: 200,
        code: null,
        latencyMs: expect.any(Number),
        bytes: Buffer.byteLength(res.body),
        rows: 1,
      },
    ]);
    const text = JSON.stringify(lines);
    for (const secret of ["s3cret-token", "hidden", "12345.678"]) expect(text).not.toContain(secret);
  });

  it("makes an id for a request without one (or with a bad one) and puts it in the error body", async () => {
    lines.length = 0;
    const res = await predict({ records: [] }, { "x-request-id": "has spaces in it" });
    expect(res.statusCode).toBe(400);
    const id = res.headers["x-request-id"] as string;
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.json()).toEqual({ error: { code: "E_EMPTY", message: expect.any(String), requestId: id } });
    expect(lines.find((l) => l.msg === "request")).toMatchObject({ id, status: 400, code: "E_EMPTY", model: "toy", version: 3 });
    expect(lines.find((l) => l.msg === "request")).not.toHaveProperty("traceId");
  });

  it("names the request in a 401 and a 404 too", async () => {
    const unauthorized = await app.inject({ method: "GET", url: "/v2/models/toy", headers: { "x-request-id": "r-401" } });
    expect(unauthorized.statusCode).toBe(401);
    expect(unauthorized.headers["x-request-id"]).toBe("r-401");
    expect(unauthorized.json().error.requestId).toBe("r-401");
    const missing = await app.inject({ method: "GET", url: "/nowhere", headers: { ...AUTH, "x-request-id": "r-404" } });
    expect(missing.json().error).toMatchObject({ code: "E_NOT_FOUND", requestId: "r-404" });
  });
});

describe("status page", () => {
  it("is sent with a strict Content-Security-Policy that allows its own script and style by hash", async () => {
    const res = await app.inject({ method: "GET", url: "/" });
    expect(res.statusCode).toBe(200);
    expect(res.body).toBe(STATUS_PAGE);
    const csp = res.headers["content-security-policy"] as string;
    expect(csp).toMatch(/^default-src 'none'; script-src 'sha256-[A-Za-z0-9+/]+=*'; style-src 'sha256-[A-Za-z0-9+/]+=*'; connect-src 'self'; img-src data:;/);
    expect(csp).not.toMatch(/unsafe|\*|https?:/);
    expect(res.headers["x-content-type-options"]).toBe("nosniff");
    expect(STATUS_PAGE).not.toMatch(/(src|href)="(https?:)?\/\//); // nothing from another origin
  });

  it("answers the chart series (with the token), the page's own requests left out", async () => {
    expect((await app.inject({ method: "GET", url: "/status/series" })).statusCode).toBe(401);
    const res = await app.inject({ method: "GET", url: "/status/series", headers: AUTH });
    expect(res.statusCode).toBe(200);
    expect(res.headers["cache-control"]).toBe("no-store");
    const doc = res.json();
    expect(doc).toMatchObject({ stepSeconds: 1, windowSeconds: 300 });
    const samples = series.figures(Date.now()).samples;
    // Two predictions and a 401 about toy (toy@3), a 404 (other); not the page, nor /status/series.
    expect(samples.filter((s) => s.key === "toy@3").reduce((n, s) => n + s.requests, 0)).toBe(3);
    expect(samples.filter((s) => s.key === "other").reduce((n, s) => n + s.requests, 0)).toBe(1);
  });
});
