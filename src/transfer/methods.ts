// The transfer methods of `model.transfer.method` (docs/transfer.md), and which of them this build trains.
export const TRANSFER_METHODS = ["finetune", "offset", "feature"] as const;
export type TransferMethod = (typeof TRANSFER_METHODS)[number];

// The methods the Spark driver implements now; the others are refused before Spark starts, never replaced.
export const IMPLEMENTED_TRANSFER_METHODS: readonly TransferMethod[] = ["finetune", "offset"];

// The algorithms each implemented method takes, as source and target (the same algorithm on both sides).
export const FINETUNE_ALGORITHMS = ["logistic_regression", "mlp_classifier"] as const;
