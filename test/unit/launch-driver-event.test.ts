// The driver's `mlship: event {…}` lines (its application id and UI), the names both languages share, and the
// supervisor pid a local built-in driver is given.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { EVENT_PREFIX, parseDriverEvent } from "../../src/launch/index.js";
import { SUPERVISOR_PID_ENV } from "../../src/submit/index.js";
import { isBrokenPipe } from "../../src/cli/broken-pipe.js";
import { plan } from "../helpers/submit-fixtures.js";

const ROOT = join(import.meta.dirname, "..", "..");

describe("parseDriverEvent", () => {
  it.each([
    ['mlship: event {"applicationId":"local-1765100000000"}', { applicationId: "local-1765100000000" }],
    ['mlship: event {"applicationId":"app-20261207120000-0001","uiWebUrl":"http://10.0.0.5:4040"}', { applicationId: "app-20261207120000-0001", uiWebUrl: "http://10.0.0.5:4040" }],
    ['mlship: event {"applicationId":"application_1700000000000_0042","later":1}', { applicationId: "application_1700000000000_0042" }], // unknown fields: ignored
    ['mlship: event {"applicationId":"local-1","uiWebUrl":"javascript:alert(1)"}', { applicationId: "local-1" }], // a bad field is dropped
  ])("%s", (line, event) => {
    expect(parseDriverEvent(line)).toEqual(event);
  });

  it.each([
    "mlship: reading parquet data",
    "mlship: event not json",
    'mlship: event ["applicationId"]',
    "mlship: event {}",
    'mlship: event {"applicationId":"../../etc"}',
    'mlship: event {"applicationId":42}',
    ' mlship: event {"applicationId":"local-1"}',
    `mlship: event {"applicationId":"local-1","pad":"${"x".repeat(5000)}"}`,
  ])("ignores %s", (line) => {
    expect(parseDriverEvent(line)).toBeNull();
  });

  it("shares its prefix and the supervisor variable with the Python driver", () => {
    const python = readFileSync(join(ROOT, "spark-scripts", "mlship_runtime", "supervisor.py"), "utf8");
    expect(python).toContain(`EVENT_PREFIX = ${JSON.stringify(EVENT_PREFIX)}`);
    expect(python).toContain(`SUPERVISOR_PID_ENV = ${JSON.stringify(SUPERVISOR_PID_ENV)}`);
  });
});

describe("the driver's live progress events", () => {
  const stage = { id: 7, name: "treeAggregate at RandomForest.scala:548", tasks: 40, done: 12, active: 2, failed: 0 };

  it("reads the phase and the active jobs and stages", () => {
    expect(parseDriverEvent('mlship: event {"phase":"fitting"}')).toEqual({ phase: "fitting" });
    const line = `mlship: event ${JSON.stringify({ phase: "fitting", progress: { jobs: [3], stages: [stage] } })}`;
    expect(parseDriverEvent(line)).toEqual({ phase: "fitting", progress: { jobs: [3], stages: [stage] } });
    expect(parseDriverEvent('mlship: event {"progress":{"jobs":[],"stages":[]}}')).toEqual({ progress: { jobs: [], stages: [] } });
  });

  it("keeps a stage name to printable text", () => {
    const line = `mlship: event ${JSON.stringify({ progress: { jobs: [], stages: [{ ...stage, name: "count\u001b[2J at x\r" }] } })}`;
    expect(parseDriverEvent(line)?.progress?.stages[0]?.name).toBe("count[2J at x");
  });

  it.each([
    ["a phase that is not a word", { phase: "Fitting now!" }],
    ["a negative count", { progress: { jobs: [], stages: [{ ...stage, done: -1 }] } }],
    ["a fractional count", { progress: { jobs: [1.5], stages: [] } }],
    ["a count as text", { progress: { jobs: [], stages: [{ ...stage, tasks: "40" }] } }],
    ["a stage without a name", { progress: { jobs: [], stages: [{ ...stage, name: undefined }] } }],
    ["too many stages", { progress: { jobs: [], stages: Array.from({ length: 21 }, (_, i) => ({ ...stage, id: i, name: "s" })) } }],
    ["stages that are not a list", { progress: { jobs: [], stages: {} } }],
  ])("ignores %s", (_, doc) => {
    expect(parseDriverEvent(`mlship: event ${JSON.stringify(doc)}`)).toBeNull();
  });

  it("names the same phases in both languages, and the driver keeps Spark's console bar off", () => {
    const python = readFileSync(join(ROOT, "spark-scripts", "mlship_runtime", "live_progress.py"), "utf8");
    for (const phase of ["reading", "fitting", "evaluating", "exporting"]) expect(python).toContain(`"${phase}")`);
    const train = readFileSync(join(ROOT, "spark-scripts", "mlship_train.py"), "utf8");
    expect(train).toContain('.config("spark.ui.showConsoleProgress", "false")');
  });
});

describe("the supervisor pid in the plan's environment", () => {
  it("is given to a local built-in driver, and wins over spark.env", () => {
    const r = plan({ spark: { env: { MLSHIP_SUPERVISOR_PID: "1" } } }, { env: { SPARK_SUBMIT_OPTS: "-Dmine" }, supervisorPid: 4242 });
    expect(r.ok && r.plan.env).toEqual({ MLSHIP_SUPERVISOR_PID: "4242" });
  });

  it("is not given to a remote (cluster-mode) driver, nor when no CLI supervises (plan, validate)", () => {
    const cluster = plan({ spark: { master: "yarn", deployMode: "cluster" } }, { env: { HADOOP_CONF_DIR: "/etc/hadoop" }, supervisorPid: 4242 });
    expect(cluster.ok && cluster.plan.env).toEqual({});
    const none = plan({}, { env: { SPARK_SUBMIT_OPTS: "-Dmine" } });
    expect(none.ok && none.plan.env).toEqual({});
  });
});

describe("isBrokenPipe", () => {
  it("is true only for the errors of a closed reader", () => {
    expect(isBrokenPipe(Object.assign(new Error("write EPIPE"), { code: "EPIPE" }))).toBe(true);
    expect(isBrokenPipe(Object.assign(new Error("destroyed"), { code: "ERR_STREAM_DESTROYED" }))).toBe(true);
    expect(isBrokenPipe(Object.assign(new Error("no space"), { code: "ENOSPC" }))).toBe(false);
    expect(isBrokenPipe(new Error("plain"))).toBe(false);
    expect(isBrokenPipe(null)).toBe(false);
  });
});
