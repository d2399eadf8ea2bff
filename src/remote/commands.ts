// The commands that kill or ask about a cluster-mode driver, as argv arrays (never a shell), and how to read
// their answers. Pure. Standalone: the master's RPC port takes Spark's own client (`spark-class
// org.apache.spark.deploy.Client kill`), its REST server `spark-submit --kill/--status`; Kubernetes:
// `spark-submit --kill/--status namespace:pod`; YARN: `yarn application -kill/-status` (spark-submit has neither).
import { join, dirname } from "node:path";
import { parseSubmitOutput } from "../launch/submit-output.js";
import { remoteId, type RemoteDriver } from "./driver.js";

export type RemoteCommand =
  | { ok: true; argv: string[] }
  | { ok: false; reason: string }; // nothing can run here; `reason` says what to run instead, or why not

export interface Tools {
  sparkSubmit: string; // the spark-submit mlship runs (spark-class is beside it)
  yarn: string | null; // `yarn` on PATH, if any
}

// What kills the remote driver.
export function killCommand(remote: RemoteDriver, tools: Tools): RemoteCommand {
  const id = remoteId(remote);
  if (id === null) return { ok: false, reason: `spark-submit has not said the driver's ${idName(remote)} yet, so there is nothing to kill by name` };
  switch (remote.manager) {
    case "standalone":
      return remote.submitVia === "rest"
        ? { ok: true, argv: [tools.sparkSubmit, "--master", remote.master, "--kill", id] }
        : { ok: true, argv: [sparkClass(tools.sparkSubmit), "org.apache.spark.deploy.Client", "kill", remote.master, id] };
    case "kubernetes":
      return { ok: true, argv: [tools.sparkSubmit, "--master", remote.master, "--kill", id] };
    case "yarn":
      return tools.yarn
        ? { ok: true, argv: [tools.yarn, "application", "-kill", id] }
        : { ok: false, reason: `\`yarn\` is not on PATH; kill the driver with: yarn application -kill ${id}` };
  }
}

// What asks the cluster for the driver's state now; not possible for a standalone master reached over RPC
// (its legacy client has no status call; the supervising mlship records the states it reports instead).
export function statusCommand(remote: RemoteDriver, tools: Tools): RemoteCommand {
  const id = remoteId(remote);
  if (id === null) return { ok: false, reason: `spark-submit has not said the driver's ${idName(remote)} yet` };
  switch (remote.manager) {
    case "standalone":
      return remote.submitVia === "rest"
        ? { ok: true, argv: [tools.sparkSubmit, "--master", remote.master, "--status", id] }
        : { ok: false, reason: "the standalone master was reached on its RPC port, which answers no status queries (its REST server, spark.master.rest.enabled, does)" };
    case "kubernetes":
      return { ok: true, argv: [tools.sparkSubmit, "--master", remote.master, "--status", id] };
    case "yarn":
      return tools.yarn ? { ok: true, argv: [tools.yarn, "application", "-status", id] } : { ok: false, reason: `\`yarn\` is not on PATH (yarn application -status ${id})` };
  }
}

// The state a status command printed, upper case; null when its output names none.
export function parseStatus(remote: RemoteDriver, output: string): string | null {
  if (remote.manager === "yarn") {
    const m = /^\s*State\s*:\s*([A-Z_]{3,20})\s*$/m.exec(output);
    return m ? m[1]! : null;
  }
  return parseSubmitOutput(output).state ?? null;
}

// spark-class sits beside spark-submit in every Spark distribution's bin/.
export const sparkClass = (sparkSubmit: string) => join(dirname(sparkSubmit), "spark-class");

const idName = (remote: RemoteDriver) =>
  remote.manager === "standalone" ? "driver id" : remote.manager === "yarn" ? "application id" : "pod name";
