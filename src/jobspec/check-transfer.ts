// model.basedOn and model.transfer, as far as the spec alone tells (the source itself is checked in the store:
// src/transfer/compat.ts): a well-formed reference, a method this build trains, an algorithm it takes.
import type { SpecProblem } from "../errors.js";
import { checkModelRef } from "../registry/refs.js";
import { FINETUNE_ALGORITHMS, IMPLEMENTED_TRANSFER_METHODS, OFFSET_ALGORITHMS, defaultTransferMethod, type TransferMethod } from "../transfer/methods.js";
import { keyLocAt, locAt, mapAt, nodeAt, problemAt, scalarAt, type MapNode } from "./tree.js";

export function checkTransfer(root: MapNode): SpecProblem[] {
  if (!mapAt(root, ["model"])) return [];
  const basedOn = scalarAt(root, ["model", "basedOn"]);
  const transfer = nodeAt(root, ["model", "transfer"]);
  const problems: SpecProblem[] = [];
  if (!basedOn) {
    if (transfer !== undefined) problems.push(problemAt(locAt(root, ["model", "transfer"]), ["model", "transfer"], "expected model.basedOn with model.transfer (the registered version to start from), got no basedOn"));
    return problems;
  }
  if (typeof basedOn.value === "string" && !basedOn.unresolved) {
    const ref = checkModelRef(basedOn.value);
    if (!ref.ok) problems.push(problemAt(basedOn.loc, ["model", "basedOn"], ref.problem));
  }
  const methodNode = scalarAt(root, ["model", "transfer", "method"]);
  const algorithmNode = scalarAt(root, ["model", "algorithm"]);
  const method = (typeof methodNode?.value === "string" ? methodNode.value : defaultTransferMethod(String(algorithmNode?.value ?? ""))) as TransferMethod;
  if (methodNode && typeof methodNode.value === "string" && ["offset", "feature"].includes(method) && !IMPLEMENTED_TRANSFER_METHODS.includes(method)) {
    problems.push(problemAt(methodNode.loc, ["model", "transfer", "method"], `transfer method "${method}" is not yet implemented (docs/transfer.md); use "finetune"`));
    return problems;
  }
  const algorithm = scalarAt(root, ["model", "algorithm"]);
  const freeze = scalarAt(root, ["model", "transfer", "freezeStages"]);
  if (freeze?.value === false && !ownStagesAllowed(method, algorithm?.value)) {
    problems.push(problemAt(freeze.loc, ["model", "transfer", "freezeStages"], `freezeStages: false is for the feature method and a GLM offset (their target embeds the whole source, which keeps its own stages); ${method} ${method === "finetune" ? "starts from the source's parameters" : "continues the source's trees"}, which read the source's fitted stages`));
  }
  if (method === "finetune" && typeof algorithm?.value === "string" && !(FINETUNE_ALGORITHMS as readonly string[]).includes(algorithm.value)) {
    const at = methodNode ? methodNode.loc : basedOn.loc;
    const path = methodNode ? ["model", "transfer", "method"] : ["model", "basedOn"];
    problems.push(problemAt(at, path, `transfer method "finetune" takes ${FINETUNE_ALGORITHMS.join(" or ")}, not ${algorithm.value}`));
  }
  problems.push(...stackingProblems(root, method, methodNode?.loc ?? basedOn.loc, methodNode ? ["model", "transfer", "method"] : ["model", "basedOn"]));
  const layers = nodeAt(root, ["model", "params", "layers"]);
  if (method === "finetune" && algorithm?.value === "mlp_classifier" && layers !== undefined) {
    const path = ["model", "params", "layers"];
    problems.push(problemAt(keyLocAt(root, path) ?? locAt(root, path), path, "expected hiddenLayers with finetune (the input and output layers follow the source's features and the target's labels), got layers"));
  }
  return problems;
}

// Whether the target may fit its own stages for the source's columns (freezeStages: false): only when it embeds the
// whole source (feature, a GLM offset), whose output then comes from the source's own stages inside it.
function ownStagesAllowed(method: TransferMethod, algorithm: unknown): boolean {
  return method === "feature" || (method === "offset" && algorithm === "generalized_linear_regression");
}

// feature and offset: `use` only with feature; offset only for an algorithm that takes an offset.
function stackingProblems(root: MapNode, method: TransferMethod, at: ReturnType<typeof locAt>, path: string[]): SpecProblem[] {
  const problems: SpecProblem[] = [];
  const use = scalarAt(root, ["model", "transfer", "use"]);
  if (use && method !== "feature") {
    problems.push(problemAt(use.loc, ["model", "transfer", "use"], `use is for the feature method (which source output the target reads); ${method} ${method === "offset" ? "always reads the source's margin" : "takes none"}`));
  }
  const algorithm = scalarAt(root, ["model", "algorithm"]);
  if (method === "offset" && typeof algorithm?.value === "string" && !(OFFSET_ALGORITHMS as readonly string[]).includes(algorithm.value)) {
    problems.push(problemAt(at, path, `transfer method "offset" trains ${OFFSET_ALGORITHMS.join(" or ")} on the source's margin, not ${algorithm.value}`));
  }
  return problems;
}
