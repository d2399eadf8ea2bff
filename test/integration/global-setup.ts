// Integration tests run the built CLI: make sure set-up (build, venv, example data) is current, and start the
// one standalone Spark cluster (a master and a worker) that every test needing one shares. Every spark-submit the
// tests start reads test/fixtures/spark-conf/spark-defaults.conf (the JIT's fast tier only: half the CPU per run).
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
  process.env.SPARK_CONF_DIR = join(import.meta.dirname, "..", "fixtures", "spark-conf"); // inherited by the test workers
  execFileSync(process.execPath, [join(import.meta.dirname, "..", "..", "scripts", "setup.mjs"), "--quiet"], { stdio: "inherit" });
  const cluster = await startStandalone({ workers: 1, cores: 1, memory: "2g" });
  project.provide("standalone", { masterUrl: cluster.masterUrl, webUrl: cluster.webUrl });
  return () => cluster.stop();
}
