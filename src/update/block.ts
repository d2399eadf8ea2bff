// The --job JSON's `update` block for a planned update: the parent, the new rows, the history and the mode (pure).
import type { JobSpec } from "../jobspec/schema.js";
import type { VersionRecord } from "../registry/records.js";
import type { UpdateBlock } from "../submit/types.js";
import type { UpdatePlan } from "./plan.js";

export interface BlockInput {
  parent: VersionRecord;
  parentUri: string; // the parent's model/ folder as Spark and pyarrow read it
  plan: Extract<UpdatePlan, { kind: "new" }>;
  mode: string;
  chainFiles: readonly string[]; // every file the parent's chain consumed (the history, for modes that read it)
  options: NonNullable<JobSpec["update"]>;
}

// New rows: the plan's files, or data.train above the watermark; the history: the chain's files, or data.train at
// or below the watermark.
export function updateBlock(input: BlockInput): UpdateBlock {
  const { plan, options } = input;
  const p = plan.predicate;
  return {
    mode: input.mode,
    parent: { ref: `${input.parent.model}@${input.parent.version}`, uri: input.parentUri },
    new: p ? { files: [], where: { column: p.column, op: ">", value: p.value } } : { files: plan.files.map((f) => f.path) },
    history: p ? { files: [], where: { column: p.column, op: "<=", value: p.value } } : { files: [...input.chainFiles] },
    options: {
      ...(options.decay !== undefined ? { decay: options.decay } : {}),
      ...(options.newTrees !== undefined ? { newTrees: options.newTrees } : {}),
      ...(options.maxIter !== undefined ? { maxIter: options.maxIter } : {}),
    },
  };
}
