// Integration tests run the built CLI: make sure set-up (build, venv, example data) is current, and start the
// one standalone Spark cluster (a master and a worker) that every test needing one shares.
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { startStandalone } from "../helpers/standalone.js";

declare module "vitest" {
  export interface ProvidedContext {
    standalone: { masterUrl: string; webUrl: string };
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  execFileSync(process.execPath, [join(import.meta.dirname, "..", "..", "scripts", "setup.mjs"), "--quiet"], { stdio: "inherit" });
  const cluster = await startStandalone({ workers: 1, cores: 1, memory: "2g" });
  project.provide("standalone", { masterUrl: cluster.masterUrl, webUrl: cluster.webUrl });
  return () => cluster.stop();
}
