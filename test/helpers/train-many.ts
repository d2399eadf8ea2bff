// Trains many small jobs in one Spark session (spark-scripts/tools/train_many.py) and certifies each
// exported model with the TypeScript scorer, as `mlship train` does, without a spark-submit per case.
import { execa } from "execa";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { certify, type ParityReport } from "../../src/certify/index.js";
import { LocalStore } from "../../src/store/index.js";
import { projectRoot } from "./cli.js";

// One case: a name and the --job JSON mlship_train.py takes (see src/submit/job-json.ts); with `score`, a parquet
// file whose rows Spark's saved PipelineModel scores into DIR/<case>/scored.arrow (parity.arrow's columns).
export interface TrainCase {
  case: string;
  job: Record<string, unknown>;
  score?: string;
}

export interface CaseOutcome {
  case: string;
  ok: boolean;
  problems: string[];
}

const python = join(projectRoot, ".venv", "bin", "python");
const script = join(projectRoot, "spark-scripts", "tools", "train_many.py");

// Runs every case into DIR/<case>/model; returns each case's outcome by name.
export async function trainMany(cases: TrainCase[], dir: string): Promise<Map<string, CaseOutcome>> {
  const file = join(dir, "cases.json");
  writeFileSync(file, JSON.stringify(cases));
  const run = await execa(python, [script, "--cases", file, "--out", dir], { reject: false, stdin: "ignore", env: { PYSPARK_PYTHON: python } });
  const outcomes = new Map<string, CaseOutcome>();
  for (const line of String(run.stdout).split("\n")) {
    if (line.startsWith("train-many: ")) {
      const o = JSON.parse(line.slice("train-many: ".length)) as CaseOutcome;
      outcomes.set(o.case, o);
    }
  }
  if (run.exitCode !== 0 || outcomes.size !== cases.length) {
    throw new Error(`train_many.py exited ${run.exitCode} with ${outcomes.size}/${cases.length} cases:\n${String(run.stderr).slice(-4000)}`);
  }
  return outcomes;
}

// Certifies one trained case with the TypeScript scorer (manifest is checked by the caller when needed).
export function certifyCase(dir: string, name: string, tolerance = 1e-9): Promise<ParityReport> {
  return certify(new LocalStore(dir), `${name}/model`, tolerance);
}

// A job JSON with the defaults mlship's spec fills in; `over` replaces whole top-level parts.
export function caseJob(name: string, model: Record<string, unknown>, data: Record<string, unknown>, parityRows = 1000): Record<string, unknown> {
  return {
    name,
    model,
    data: { format: "parquet", options: {}, validation: { fraction: 0.5, seed: 7 }, ...data },
    parity: { rows: parityRows },
  };
}
