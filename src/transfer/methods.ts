// The transfer methods of `model.transfer.method` (docs/transfer.md), and which of them this build trains.
export const TRANSFER_METHODS = ["finetune", "offset", "feature"] as const;
export type TransferMethod = (typeof TRANSFER_METHODS)[number];

// The methods the Spark driver implements now; the others are refused before Spark starts, never replaced.
export const IMPLEMENTED_TRANSFER_METHODS: readonly TransferMethod[] = ["finetune", "feature", "offset"];

// The algorithms each implemented method takes, as source and target (the same algorithm on both sides).
export const FINETUNE_ALGORITHMS = ["logistic_regression", "mlp_classifier"] as const;

// feature: which output of the source the target reads (model.transfer.use); the default by the source's task.
export const TRANSFER_USES = ["probability", "margin", "prediction"] as const;
export type TransferUse = (typeof TRANSFER_USES)[number];

// offset: the target algorithms that take the source's margin (a GLM's offsetCol), and the GLM families.
// (a GBT target boosts on from a source GBT of its kind instead: offset-gbt.ts).
export const OFFSET_ALGORITHMS = ["generalized_linear_regression", "gbt_classifier", "gbt_regressor"] as const;
export const OFFSET_GLM_FAMILIES = ["binomial", "poisson"] as const;
