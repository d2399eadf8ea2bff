// The transfer tests' related task: the quickstart's churn rows of two regions (south, east) with a target-only
// column `discount` (support_calls × 0.5), written as one Parquet file in `dest` (real pyarrow from the venv).
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { projectRoot } from "./cli.js";

export function writeRelatedTask(dest: string): void {
  execFileSync(join(projectRoot, ".venv", "bin", "python"), ["-c", `
import pyarrow as pa, pyarrow.parquet as pq, pyarrow.compute as pc, os, sys
t = pq.read_table(sys.argv[1])
t = t.filter(pc.is_in(t["region"], value_set=pa.array(["south", "east"])))
t = t.append_column("discount", pc.multiply(pc.cast(t["support_calls"], "double"), 0.5))
os.makedirs(sys.argv[2], exist_ok=True)
pq.write_table(t, os.path.join(sys.argv[2], "part-0.parquet"))
`, join(projectRoot, "data", "churn", "part-0.parquet"), dest]);
}
