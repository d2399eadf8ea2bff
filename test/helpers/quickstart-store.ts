// The quickstart model (churn@1, aliased staging) trained once by real local Spark per build, shared by the
// test files that only need a model to serve or score: each gets its own copy of the trained store.
import { createHash } from "node:crypto";
import { cpSync, existsSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { mlship, projectRoot } from "./cli.js";

// Trains (or reuses) the quickstart store and copies it to `into`; answers `into`.
export async function quickstartStore(into: string): Promise<string> {
  // Keyed by the job and the build (global-setup rebuilds dist/ when the code changes).
  const key = createHash("sha256")
    .update(readFileSync(join(projectRoot, "jobs", "quickstart.yaml")))
    .update(String(statSync(join(projectRoot, "dist", "cli", "main.js")).mtimeMs))
    .digest("hex")
    .slice(0, 16);
  const cached = join(tmpdir(), `mlship-quickstart-${key}`);
  if (!existsSync(join(cached, "done"))) {
    const fresh = mkdtempSync(`${cached}.tmp-`);
    const r = await mlship(["train", "jobs/quickstart.yaml", "--store", join(fresh, "store"), "--quiet", "--json"]);
    if (r.exitCode !== 0) throw new Error(`quickstart training failed (exit ${r.exitCode}):\n${r.stderr}`);
    writeFileSync(join(fresh, "done"), "");
    try {
      renameSync(fresh, cached);
    } catch {
      rmSync(fresh, { recursive: true, force: true }); // another test file finished first
    }
  }
  cpSync(join(cached, "store"), into, { recursive: true });
  return into;
}
