// Every check the schema cannot express, run on the located tree.
import type { SpecProblem } from "../errors.js";
import { checkEncoding, checkFeatures, checkLabel, checkParams } from "./check-model.js";
import { checkEntrypoint, checkPromote, checkSpark } from "./check-run.js";
import { checkTransfer } from "./check-transfer.js";
import type { MapNode } from "./tree.js";

// Tolerates ill-typed input (the schema reports that). May turn a whole-scalar ${VAR} back into
// its text where a string-typed model parameter expects one.
export function checkSpec(root: MapNode): SpecProblem[] {
  return [...checkParams(root), ...checkLabel(root), ...checkFeatures(root), ...checkEncoding(root), ...checkEntrypoint(root), ...checkSpark(root), ...checkPromote(root), ...checkTransfer(root)];
}
