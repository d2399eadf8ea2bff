// Reads spark-submit's own output in cluster deploy mode: who the remote driver is (standalone driver id, YARN
// application id, Kubernetes pod and namespace) and the states the submitter reports. Pure; the output is not trusted.

// What one line says about the remote driver; every field optional.
export interface SubmitFacts {
  driverId?: string; // standalone: driver-20261207133955-0000
  submitVia?: "rpc" | "rest"; // standalone: the master's RPC port (legacy client) or its REST server
  yarnApplicationId?: string; // application_1700000000000_0042
  pod?: string; // Kubernetes driver pod
  namespace?: string; // its namespace
  state?: string; // the driver's state as the submitter (or a status query) reports it, upper case
}

const MAX_LINE = 4096;
const DRIVER_ID = "driver-\\d{14}-\\d{4,}";
const YARN_APP = "application_\\d{10,}_\\d{4,}";
const K8S_NAME = "[a-z0-9](?:[-a-z0-9.]{0,251}[a-z0-9])?"; // a DNS-1123 name

// One pattern per fact, tried in order; each line may carry several facts (a K8s status block carries one per line).
const RULES: { re: RegExp; facts: (m: RegExpExecArray) => SubmitFacts }[] = [
  // Legacy (RPC) client: "ClientEndpoint: Driver successfully submitted as driver-…".
  { re: new RegExp(`Driver successfully submitted as (${DRIVER_ID})\\b`), facts: (m) => ({ driverId: m[1]!, submitVia: "rpc", state: "SUBMITTED" }) },
  // REST client: "Submission successfully created as driver-…" and the JSON response's "submissionId" : "driver-…".
  { re: new RegExp(`Submission successfully created as (${DRIVER_ID})\\b`), facts: (m) => ({ driverId: m[1]!, submitVia: "rest", state: "SUBMITTED" }) },
  { re: new RegExp(`"submissionId"\\s*:\\s*"(${DRIVER_ID})"`), facts: (m) => ({ driverId: m[1]!, submitVia: "rest" }) },
  // "State of driver-… is RUNNING" and, at the end, "State of driver driver-… is KILLED, exiting spark-submit JVM."
  { re: new RegExp(`State of (?:driver )?(${DRIVER_ID}) is ([A-Z_]{3,20})\\b`), facts: (m) => ({ driverId: m[1]!, state: m[2]! }) },
  // A REST status response: "driverState" : "RUNNING".
  { re: /"driverState"\s*:\s*"([A-Z_]{3,20})"/, facts: (m) => ({ state: m[1]! }) },
  // YARN: "Submitted application application_…", then "Application report for application_… (state: RUNNING)".
  { re: new RegExp(`Submitted application (${YARN_APP})\\b`), facts: (m) => ({ yarnApplicationId: m[1]!, state: "SUBMITTED" }) },
  { re: new RegExp(`Application report for (${YARN_APP}) \\(state: ([A-Z_]{3,20})\\)`), facts: (m) => ({ yarnApplicationId: m[1]!, state: m[2]! }) },
  // Kubernetes (LoggingPodStatusWatcher): "pod name: x-driver", "namespace: default", "phase: Running".
  { re: new RegExp(`^\\s*pod name: (${K8S_NAME})\\s*$`), facts: (m) => ({ pod: m[1]! }) },
  { re: new RegExp(`^\\s*namespace: (${K8S_NAME})\\s*$`), facts: (m) => ({ namespace: m[1]! }) },
  { re: /^\s*phase: ([A-Za-z]{3,20})\s*$/, facts: (m) => ({ state: m[1]!.toUpperCase() }) },
  { re: /\(phase: ([A-Za-z]{3,20})\)/, facts: (m) => ({ state: m[1]!.toUpperCase() }) },
];

// The facts one line of spark-submit's output gives; null when it gives none.
export function parseSubmitLine(line: string): SubmitFacts | null {
  if (line.length > MAX_LINE) return null;
  let found: SubmitFacts | null = null;
  for (const { re, facts } of RULES) {
    const m = re.exec(line);
    if (m) found = { ...facts(m), ...(found ?? {}) }; // the earlier (more specific) rule wins a field both set
  }
  return found;
}

// Every fact in a whole output (e.g. of `spark-submit --status`), later lines overriding earlier ones.
export function parseSubmitOutput(text: string): SubmitFacts {
  let facts: SubmitFacts = {};
  for (const line of text.split(/\r?\n/)) {
    const f = parseSubmitLine(line);
    if (f) facts = { ...facts, ...f };
  }
  return facts;
}
