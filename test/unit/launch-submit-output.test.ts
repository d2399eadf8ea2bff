// spark-submit's own output in cluster deploy mode: the remote driver's identity and states, on real-looking lines.
import { describe, expect, it } from "vitest";
import { parseSubmitLine, parseSubmitOutput } from "../../src/launch/submit-output.js";

describe("parseSubmitLine", () => {
  it.each([
    // Standalone, legacy RPC client (Spark 4.1.1, seen on a real master).
    ["26/12/07 13:39:55 INFO ClientEndpoint: Driver successfully submitted as driver-20261207133955-0000", { driverId: "driver-20261207133955-0000", submitVia: "rpc", state: "SUBMITTED" }],
    ["26/12/07 13:40:00 INFO ClientEndpoint: State of driver-20261207133955-0000 is RUNNING", { driverId: "driver-20261207133955-0000", state: "RUNNING" }],
    ["26/12/07 13:41:10 INFO ClientEndpoint: State of driver driver-20261207133955-0000 is KILLED, exiting spark-submit JVM.", { driverId: "driver-20261207133955-0000", state: "KILLED" }],
    // Standalone REST server.
    ["26/12/07 13:39:55 INFO RestSubmissionClient: Submission successfully created as driver-20261207133955-0001. Polling submission state...", { driverId: "driver-20261207133955-0001", submitVia: "rest", state: "SUBMITTED" }],
    ['  "submissionId" : "driver-20261207133955-0001",', { driverId: "driver-20261207133955-0001", submitVia: "rest" }],
    ['  "driverState" : "FINISHED",', { state: "FINISHED" }],
    // YARN.
    ["26/12/07 13:39:55 INFO Client: Submitted application application_1765100000000_0042", { yarnApplicationId: "application_1765100000000_0042", state: "SUBMITTED" }],
    ["26/12/07 13:40:05 INFO Client: Application report for application_1765100000000_0042 (state: RUNNING)", { yarnApplicationId: "application_1765100000000_0042", state: "RUNNING" }],
    // Kubernetes (LoggingPodStatusWatcherImpl's block, one field a line).
    ["\t pod name: churn-train-4f1a2b8c9d-driver", { pod: "churn-train-4f1a2b8c9d-driver" }],
    ["\t namespace: ml-jobs", { namespace: "ml-jobs" }],
    ["\t phase: Running", { state: "RUNNING" }],
    ["26/12/07 13:40:05 INFO LoggingPodStatusWatcherImpl: Application status for spark-0123abcd (phase: Succeeded)", { state: "SUCCEEDED" }],
  ])("%s", (line, facts) => {
    expect(parseSubmitLine(line)).toEqual(facts);
  });

  it.each([
    "26/12/07 13:39:54 INFO Utils: Successfully started service 'driverClient' on port 44471.",
    "State of driver-../../etc is RUNNING",
    "\t pod name: Bad_Name",
    "\t namespace: a b",
    `Driver successfully submitted as driver-20261207133955-0000${"x".repeat(5000)}`, // longer than any real line
  ])("nothing in %s", (line) => {
    expect(parseSubmitLine(line)).toBeNull();
  });
});

describe("parseSubmitOutput", () => {
  it("reads a Kubernetes status block and a REST status response, later lines winning", () => {
    const k8s = ["Application status (driver): ", "\t pod name: churn-driver", "\t namespace: default", "\t labels: spark-role -> driver", "\t phase: Pending", "\t phase: Running"].join("\n");
    expect(parseSubmitOutput(k8s)).toEqual({ pod: "churn-driver", namespace: "default", state: "RUNNING" });
    const rest = ['{', '  "action" : "SubmissionStatusResponse",', '  "driverState" : "RUNNING",', '  "submissionId" : "driver-20261207133955-0001",', '  "success" : true', '}'].join("\n");
    expect(parseSubmitOutput(rest)).toEqual({ state: "RUNNING", driverId: "driver-20261207133955-0001", submitVia: "rest" });
  });
});
