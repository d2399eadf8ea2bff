// mlship doctor's pure side: each check from its facts (ok/warn/fail and a fix), the report and its text.
import { describe, expect, it } from "vitest";
import { credentialsCheck, doctorReport, formatDoctor, homeCheck, javaCheck, javaVersionOf, nodeCheck, portCheck, pythonCheck, sparkCheck, storeCheck, type Check } from "../../src/doctor/checks.js";

describe("node and java", () => {
  it.each([
    ["20.20.2", ">=20", "ok"],
    ["v22.1.0", ">=20.19", "ok"],
    ["18.19.0", ">=20", "fail"],
    ["20.1.0", ">=20.19", "fail"],
    ["20.20.2", "^20.19.0 || ^22.13.0 || >=24.0.0", "ok"],
    ["22.13.0", "^20.19.0 || ^22.13.0 || >=24.0.0", "ok"],
    ["21.7.0", "^20.19.0 || ^22.13.0 || >=24.0.0", "fail"],
    ["20.1.0", "^20.19.0 || ^22.13.0 || >=24.0.0", "fail"],
    ["20.1.0", "not a range", "warn"],
    ["20.1.0", undefined, "warn"],
  ])("Node %s against %s: %s", (version, range, status) => {
    expect(nodeCheck(version, range).status).toBe(status);
  });

  it("names the lowest Node the range allows in the fix", () => {
    expect(nodeCheck("18.19.0", "^20.19.0 || >=22").fix).toBe("install a Node that engines.node allows (nvm install 20)");
  });

  it.each([
    ['openjdk version "17.0.15" 2025-04-15\nOpenJDK Runtime Environment', { version: "17.0.15", feature: 17 }],
    ['java version "1.8.0_392"', { version: "1.8.0_392", feature: 8 }],
    ['openjdk version "21" 2023-09-19', { version: "21", feature: 21 }],
    ["no version here", undefined],
  ])("javaVersionOf(%j)", (out, v) => expect(javaVersionOf(out)).toEqual(v));

  it("java: missing and too old fail with a fix; 17 and newer pass", () => {
    expect(javaCheck({ found: false, tried: "no java on PATH and no JAVA_HOME" })).toMatchObject({ status: "fail", fix: expect.stringContaining("JAVA_HOME") });
    expect(javaCheck({ found: true, path: "/usr/bin/java", from: "PATH", output: 'java version "1.8.0_392"' })).toMatchObject({ status: "fail", detail: expect.stringContaining("older than 17") });
    expect(javaCheck({ found: true, path: "/opt/jdk/bin/java", from: "JAVA_HOME", output: 'openjdk version "21.0.2"' })).toEqual({ id: "java", status: "ok", detail: "Java 21.0.2 at /opt/jdk/bin/java (JAVA_HOME)" });
  });
});

describe("spark, python, store, credentials, port, home", () => {
  it("spark: where from and the version's source; none found fails; Spark 3 warns", () => {
    expect(sparkCheck({ found: true, path: "/opt/spark/bin/spark-submit", source: "SPARK_HOME", version: "4.1.1", versionFrom: "/opt/spark/RELEASE" })).toEqual({ id: "spark", status: "ok", detail: "Spark 4.1.1 at /opt/spark/bin/spark-submit (from SPARK_HOME; /opt/spark/RELEASE)" });
    expect(sparkCheck({ found: true, path: "/opt/spark/bin/spark-submit", source: "SPARK_HOME", version: "3.5.1", versionFrom: "x" }).status).toBe("warn");
    expect(sparkCheck({ found: true, path: "/x/spark-submit", source: "PATH", version: undefined, versionFrom: undefined }).status).toBe("warn");
    expect(sparkCheck({ found: false, message: "spark-submit was not found" })).toMatchObject({ status: "fail", fix: expect.stringContaining("SPARK_HOME") });
  });

  it("python: the pre-flight's verdict, its fix when it fails", () => {
    expect(pythonCheck({ python: "/v/python", from: "PYSPARK_PYTHON", verdict: { ok: true, summary: "driver Python /v/python (Python 3.11.7; numpy 2.2.6)", warnings: [] } })).toEqual({ id: "python", status: "ok", detail: "/v/python (Python 3.11.7; numpy 2.2.6), from PYSPARK_PYTHON" });
    expect(pythonCheck({ python: "python3", from: "PATH", verdict: { ok: false, message: "no numpy", details: ["set PYSPARK_PYTHON=…"] } })).toEqual({ id: "python", status: "fail", detail: "no numpy", fix: "set PYSPARK_PYTHON=…" });
    expect(pythonCheck({ python: "python3", from: "PATH", verdict: { ok: true, summary: "s", warnings: ["slow"] } }).status).toBe("warn");
  });

  it.each([
    [{ exists: true, writable: true }, "ok"],
    [{ exists: true, writable: false }, "fail"],
    [{ exists: false, writable: true }, "ok"],
    [{ exists: false, writable: false }, "fail"],
  ])("a local store %j: %s", (f, status) => {
    expect(storeCheck({ kind: "local", location: "/s", nearest: "/", ...f }).status).toBe(status);
  });

  it("an S3 store: the listing's answer", () => {
    expect(storeCheck({ kind: "s3", location: "s3://b/p", result: { ok: true, ms: 12 } })).toEqual({ id: "store", status: "ok", detail: "s3://b/p (S3, answered a listing in 12 ms)" });
    expect(storeCheck({ kind: "s3", location: "s3://b/p", result: { ok: false, message: "NoSuchBucket (HTTP 404)" } })).toMatchObject({ status: "fail", detail: "s3://b/p (S3): NoSuchBucket (HTTP 404)" });
  });

  it("credentials: needed only for an S3 store; the source, never a value", () => {
    expect(credentialsCheck({ needed: true, found: true, source: "profile prod (--aws-profile)" })).toEqual({ id: "s3-credentials", status: "ok", detail: "present (profile prod (--aws-profile))" });
    expect(credentialsCheck({ needed: false, found: false, source: "chain" }).status).toBe("ok");
    expect(credentialsCheck({ needed: true, found: false, source: "chain", error: "Could not load credentials" })).toMatchObject({ status: "fail", detail: "none found (chain): Could not load credentials" });
  });

  it("port: taken is a warning; MLSHIP_HOME: set but missing is a warning", () => {
    expect(portCheck({ host: "127.0.0.1", port: 8080, free: true }).status).toBe("ok");
    expect(portCheck({ host: "127.0.0.1", port: 8080, free: false, reason: "in use" })).toMatchObject({ status: "warn", fix: expect.stringContaining("--port") });
    expect(homeCheck({ value: undefined, exists: false, venv: "/p/.venv" })).toEqual({ id: "mlship-home", status: "ok", detail: "MLSHIP_HOME is not set; the runtime is the project venv /p/.venv" });
    expect(homeCheck({ value: "/nope", exists: false, venv: undefined }).status).toBe("warn");
  });
});

describe("the report", () => {
  const checks: Check[] = [
    { id: "port", status: "warn", detail: "127.0.0.1:8080 cannot be opened (in use)", fix: "serve on another port" },
    { id: "node", status: "ok", detail: "Node 20.20.2" },
    { id: "java", status: "fail", detail: "no Java", fix: "install Java 17" },
  ];

  it("orders the checks, counts them, and fails on any fail (warnings pass)", () => {
    const r = doctorReport(checks);
    expect(r.checks.map((c) => c.id)).toEqual(["node", "java", "port"]);
    expect(r).toMatchObject({ ok: false, counts: { ok: 1, warn: 1, fail: 1 } });
    expect(doctorReport(checks.filter((c) => c.status !== "fail")).ok).toBe(true);
  });

  it("prints one line per check, its fix under it, and a summary", () => {
    expect(formatDoctor(doctorReport(checks))).toMatchInlineSnapshot(`
      [
        "ok    node            Node 20.20.2",
        "fail  java            no Java",
        "                      fix: install Java 17",
        "warn  port            127.0.0.1:8080 cannot be opened (in use)",
        "                      fix: serve on another port",
        "",
        "1 failed: 1 ok, 1 warning, 1 failed",
      ]
    `);
  });
});
