// A cluster-mode driver as run.json records it, and what its states mean on each cluster manager. Pure.
import type { SubmitFacts } from "../launch/submit-output.js";

export type RemoteManager = "standalone" | "yarn" | "kubernetes";

// run.json's `remote`: where the driver runs and who it is, filled in as spark-submit says.
export interface RemoteDriver {
  manager: RemoteManager;
  master: string; // the spec's spark.master
  driverId?: string; // standalone
  submitVia?: "rpc" | "rest"; // standalone: how spark-submit reached the master (decides how to kill and ask)
  yarnApplicationId?: string;
  pod?: string; // Kubernetes driver pod
  namespace?: string;
  state?: string; // the last state seen (upper case: RUNNING, FINISHED, KILLED, SUCCEEDED, …)
  stateAt?: string; // when it was seen (ISO)
  killed?: { at: string; ok: boolean; message: string }; // mlship's kill of the remote driver, and how it went
}

// Final states per manager: standalone DriverState, YARN YarnApplicationState, Kubernetes pod phase.
const TERMINAL: Record<RemoteManager, Record<string, "succeeded" | "failed" | "killed">> = {
  standalone: { FINISHED: "succeeded", FAILED: "failed", ERROR: "failed", KILLED: "killed" },
  yarn: { FINISHED: "succeeded", FAILED: "failed", KILLED: "killed" },
  kubernetes: { SUCCEEDED: "succeeded", FAILED: "failed" },
};

// How a state ended the driver; null while it has not ended (SUBMITTED, RUNNING, ACCEPTED, PENDING, …).
export function remoteOutcome(manager: RemoteManager, state: string | undefined): "succeeded" | "failed" | "killed" | null {
  return state === undefined ? null : (TERMINAL[manager][state] ?? null);
}

// Merges what a line of spark-submit said into the record; true when something changed.
export function mergeFacts(remote: RemoteDriver, facts: SubmitFacts, at: Date): boolean {
  let changed = false;
  const set = <K extends keyof RemoteDriver>(key: K, value: RemoteDriver[K] | undefined) => {
    if (value === undefined || remote[key] === value) return;
    remote[key] = value;
    changed = true;
  };
  set("driverId", facts.driverId);
  set("submitVia", facts.submitVia);
  set("yarnApplicationId", facts.yarnApplicationId);
  set("pod", facts.pod);
  set("namespace", facts.namespace);
  if (facts.state !== undefined && facts.state !== remote.state) {
    set("state", facts.state);
    remote.stateAt = at.toISOString();
  }
  return changed;
}

// The id a kill or status query names: standalone driver id, YARN application id, Kubernetes namespace:pod.
export function remoteId(remote: RemoteDriver): string | null {
  if (remote.manager === "standalone") return remote.driverId ?? null;
  if (remote.manager === "yarn") return remote.yarnApplicationId ?? null;
  return remote.pod ? `${remote.namespace ?? "default"}:${remote.pod}` : null;
}
