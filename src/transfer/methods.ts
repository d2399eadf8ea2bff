// The transfer methods of `model.transfer.method` (docs/transfer.md), and which of them this build trains.
export const TRANSFER_METHODS = ["finetune", "offset", "feature"] as const;
export type TransferMethod = (typeof TRANSFER_METHODS)[number];

// The methods the Spark driver implements now; the others are refused before Spark starts, never replaced.
export const IMPLEMENTED_TRANSFER_METHODS: readonly TransferMethod[] = ["finetune", "feature", "offset"];

// The algorithms each implemented method takes, as source and target (the same algorithm on both sides).
export const FINETUNE_ALGORITHMS = ["logistic_regression", "mlp_classifier"] as const;

// feature: which output of the source the target reads (model.transfer.use); the default by the source's task.
// hidden: an MLP source's last hidden layer (H columns, H its width).
export const TRANSFER_USES = ["probability", "margin", "prediction", "hidden"] as const;
export type TransferUse = (typeof TRANSFER_USES)[number];

// offset: the target algorithms that take the source's margin (a GLM's offsetCol), and the GLM families.
// (a GBT target boosts on from a source GBT of its kind instead: offset-gbt.ts).
export const OFFSET_ALGORITHMS = ["generalized_linear_regression", "gbt_classifier", "gbt_regressor"] as const;
export const OFFSET_GLM_FAMILIES = ["binomial", "poisson"] as const;

// The method a spec gets when model.transfer.method is not given, by the target's algorithm: the one the benchmark
// (docs/transfer.md, "Benchmark") supports. offset for a GBT (it helped by up to +0.025 AUC on small targets) and a
// GLM (the method built for it), finetune for a logistic regression and an MLP, feature (which takes any target) otherwise.
export function defaultTransferMethod(algorithm: string): TransferMethod {
  if ((OFFSET_ALGORITHMS as readonly string[]).includes(algorithm)) return "offset";
  if ((FINETUNE_ALGORITHMS as readonly string[]).includes(algorithm)) return "finetune";
  return "feature";
}
