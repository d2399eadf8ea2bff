// The commands that kill or ask about a cluster-mode driver (argv as data), their answers, and what its states mean.
import { describe, expect, it } from "vitest";
import { killCommand, mergeFacts, parseStatus, remoteId, remoteOutcome, statusCommand, type RemoteDriver } from "../../src/remote/index.js";
import { remoteEnding } from "../../src/runs/remote-run.js";

const TOOLS = { sparkSubmit: "/opt/spark/bin/spark-submit", yarn: "/usr/bin/yarn" };
const standalone: RemoteDriver = { manager: "standalone", master: "spark://m:7077", driverId: "driver-20261207133955-0000", submitVia: "rpc" };
const rest: RemoteDriver = { manager: "standalone", master: "spark://m:6066", driverId: "driver-20261207133955-0000", submitVia: "rest" };
const yarn: RemoteDriver = { manager: "yarn", master: "yarn", yarnApplicationId: "application_1765100000000_0042" };
const k8s: RemoteDriver = { manager: "kubernetes", master: "k8s://https://api:6443", pod: "churn-driver", namespace: "ml" };

describe("killCommand", () => {
  it("standalone over RPC: Spark's own client (spark-submit --kill speaks only to the REST server)", () => {
    expect(killCommand(standalone, TOOLS)).toEqual({ ok: true, argv: ["/opt/spark/bin/spark-class", "org.apache.spark.deploy.Client", "kill", "spark://m:7077", "driver-20261207133955-0000"] });
  });
  it("standalone over REST, and Kubernetes (namespace:pod): spark-submit --kill", () => {
    expect(killCommand(rest, TOOLS)).toEqual({ ok: true, argv: ["/opt/spark/bin/spark-submit", "--master", "spark://m:6066", "--kill", "driver-20261207133955-0000"] });
    expect(killCommand(k8s, TOOLS)).toEqual({ ok: true, argv: ["/opt/spark/bin/spark-submit", "--master", "k8s://https://api:6443", "--kill", "ml:churn-driver"] });
  });
  it("YARN: yarn application -kill, or what to run when yarn is not on PATH", () => {
    expect(killCommand(yarn, TOOLS)).toEqual({ ok: true, argv: ["/usr/bin/yarn", "application", "-kill", "application_1765100000000_0042"] });
    expect(killCommand(yarn, { ...TOOLS, yarn: null })).toEqual({ ok: false, reason: expect.stringContaining("yarn application -kill application_1765100000000_0042") });
  });
  it("nothing to kill by name before spark-submit said the id", () => {
    expect(killCommand({ manager: "standalone", master: "spark://m:7077" }, TOOLS)).toMatchObject({ ok: false, reason: expect.stringContaining("driver id") });
  });
});

describe("statusCommand and parseStatus", () => {
  it("argv per manager; none for a standalone master reached over RPC", () => {
    expect(statusCommand(rest, TOOLS)).toEqual({ ok: true, argv: ["/opt/spark/bin/spark-submit", "--master", "spark://m:6066", "--status", "driver-20261207133955-0000"] });
    expect(statusCommand(k8s, TOOLS)).toEqual({ ok: true, argv: ["/opt/spark/bin/spark-submit", "--master", "k8s://https://api:6443", "--status", "ml:churn-driver"] });
    expect(statusCommand(yarn, TOOLS)).toEqual({ ok: true, argv: ["/usr/bin/yarn", "application", "-status", "application_1765100000000_0042"] });
    expect(statusCommand(standalone, TOOLS)).toMatchObject({ ok: false, reason: expect.stringContaining("REST server") });
  });
  it("reads each answer's state", () => {
    expect(parseStatus(rest, '{\n  "action" : "SubmissionStatusResponse",\n  "driverState" : "FINISHED",\n  "success" : true\n}')).toBe("FINISHED");
    expect(parseStatus(k8s, "Application status (driver): \n\t pod name: churn-driver\n\t namespace: ml\n\t phase: Failed")).toBe("FAILED");
    expect(parseStatus(yarn, "Application Report : \n\tApplication-Id : application_1765100000000_0042\n\tState : KILLED\n\tFinal-State : KILLED")).toBe("KILLED");
    expect(parseStatus(yarn, "no report")).toBeNull();
  });
});

describe("remote states", () => {
  it.each([
    ["standalone", "FINISHED", "succeeded"], ["standalone", "KILLED", "killed"], ["standalone", "ERROR", "failed"], ["standalone", "RUNNING", null], ["standalone", "RELAUNCHING", null],
    ["yarn", "FINISHED", "succeeded"], ["yarn", "ACCEPTED", null], ["yarn", "KILLED", "killed"],
    ["kubernetes", "SUCCEEDED", "succeeded"], ["kubernetes", "FAILED", "failed"], ["kubernetes", "PENDING", null],
  ] as const)("%s %s → %s", (manager, state, outcome) => {
    expect(remoteOutcome(manager, state)).toBe(outcome);
  });

  it("merges facts, stamping a new state; ids per manager", () => {
    const r: RemoteDriver = { manager: "kubernetes", master: "k8s://https://api:6443" };
    expect(mergeFacts(r, { pod: "p-driver" }, new Date(0))).toBe(true);
    expect(remoteId(r)).toBe("default:p-driver");
    expect(mergeFacts(r, { state: "RUNNING" }, new Date(1000))).toBe(true);
    expect(r.stateAt).toBe("1970-01-01T00:00:01.000Z");
    expect(mergeFacts(r, { state: "RUNNING" }, new Date(2000))).toBe(false);
  });

  it("remoteEnding: how a run whose spark-submit exited 0 is recorded", () => {
    expect(remoteEnding({ ...standalone, state: "FINISHED" }, null)).toBeNull();
    expect(remoteEnding({ ...standalone, state: "KILLED" }, null)).toMatchObject({ status: "killed", code: "E_KILLED" });
    expect(remoteEnding({ ...standalone, state: "FAILED" }, null)).toMatchObject({ status: "failed", code: "E_RUN_FAILED", message: expect.stringContaining("ended FAILED") });
    // Never waits forever: a driver that cannot be followed is a failure naming how to stop it.
    expect(remoteEnding({ ...standalone, state: "RUNNING" }, "its state cannot be asked")).toMatchObject({
      status: "failed",
      message: expect.stringContaining("spark-class org.apache.spark.deploy.Client kill spark://m:7077 driver-20261207133955-0000"),
    });
  });
});
