// Transfer method `offset` for a GBT target (boosting on from the source's margin): which sources it takes. Pure.
import type { VersionRecord } from "../registry/records.js";
import type { TransferProblem, TransferTarget } from "./compat.js";

// The algorithms offset boosts on from: the source and the target are the same one of them.
export const OFFSET_GBT_ALGORITHMS = ["gbt_classifier", "gbt_regressor"] as const;

// Whether the target spec is offset for GBT (a GBT source with another target is GLM offset's case).
export function isOffsetGbt(target: Pick<TransferTarget, "algorithm" | "method">): boolean {
  return target.method === "offset" && (OFFSET_GBT_ALGORITHMS as readonly string[]).includes(target.algorithm);
}

// The source must be a GBT of the target's kind: its trees and margin are the target's first rounds.
export function offsetGbtProblems(target: TransferTarget, record: VersionRecord, named: string): TransferProblem[] {
  if (record.algorithm === target.algorithm) return [];
  return [{ path: "model.transfer.method", message: `offset for a ${target.algorithm} boosts on from the trees of a ${target.algorithm}; ${named} is a ${record.algorithm}` }];
}
