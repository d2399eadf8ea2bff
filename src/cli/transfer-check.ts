// model.basedOn checked in the store before Spark starts (validate, plan, train): every refusal located at its field.
import type { Context } from "./context.js";
import { runStoreFor } from "./store.js";
import { SpecError } from "../errors.js";
import type { LoadedJob } from "../runs/plan-run.js";
import type { TransferRun } from "../runs/train.js";
import { transferProblems } from "../transfer/compat.js";
import { defaultTransferMethod } from "../transfer/methods.js";
import { transferDetail } from "../transfer/compat-stacking.js";

// The pinned source and the driver's block, or null when the spec names no basedOn (or its store is refused by the
// plan, which reports it); throws E_TRANSFER (exit 2) with file:line:col when the source cannot be the basis.
export async function checkBasedOn(ctx: Context, job: LoadedJob, storeFlag: string | undefined): Promise<TransferRun | null> {
  const { model } = job.spec;
  if (model.basedOn === undefined) return null;
  const chosen = runStoreFor(ctx, storeFlag, job.spec.store);
  if (!chosen.ok) return null;
  const { store } = chosen;
  const method = model.transfer?.method ?? defaultTransferMethod(model.algorithm);
  // Loaded only for a basedOn spec: reading a registry record loads its schema (zod), which plan and validate of any
  // other spec never need (docs/operations.md, start-up).
  const { readTransferSource, transferBlock } = await import("../transfer/source.js");
  const source = await readTransferSource(store, model.basedOn);
  const problems = transferProblems(
    { algorithm: model.algorithm, numeric: model.features.numeric, categorical: model.features.categorical, params: model.params, method, ...(model.transfer?.use ? { use: model.transfer.use } : {}) },
    source,
  );
  if (problems.length > 0) {
    const located = problems.map((p) => {
      const path = p.path === "model.transfer.method" && model.transfer === undefined ? "model.basedOn" : p.path;
      return { ...job.locate(path), path, message: p.message };
    });
    throw new SpecError(located, "E_TRANSFER");
  }
  if (!source.found) return null; // unreachable: a missing source is a problem above
  const detail = transferDetail(method, source.record, model.transfer?.use, model.params, model.algorithm);
  return { source: source.record, block: transferBlock(source.record, store.sparkUri(source.record.artifacts.prefix), method, model.transfer?.freezeStages ?? true, detail) };
}
