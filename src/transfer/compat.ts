// Whether a registered source version can be the basis of a target spec (model.basedOn): pure, every problem at once.
import type { InputColumn } from "../model/descriptor.js";
import type { VersionRecord } from "../registry/records.js";
import { FINETUNE_ALGORITHMS, type TransferMethod, type TransferUse } from "./methods.js";
import { featureProblems, offsetProblems } from "./compat-stacking.js";
import { isOffsetGbt, offsetGbtProblems } from "./offset-gbt.js";

// What the check needs of the target spec.
export interface TransferTarget {
  algorithm: string;
  numeric: readonly string[];
  categorical: readonly string[];
  params: Record<string, unknown>;
  method: TransferMethod;
  use?: TransferUse; // model.transfer.use (feature)
}

// What the store said about model.basedOn: the resolved version and its portable model's input schema.
export type TransferSource =
  | { found: false; ref: string; location: string }
  | { found: true; ref: string; record: VersionRecord; inputs: readonly InputColumn[] | null };

// One refusal, at the spec field it is about.
export interface TransferProblem {
  path: "model.basedOn" | "model.transfer.method" | "model.params.hiddenLayers" | "model.transfer.use";
  message: string;
}

const TYPE_OF_ROLE = { numeric: "double", categorical: "string" } as const;

// The problems that keep `source` from being the basis of `target`; empty when the transfer can run.
export function transferProblems(target: TransferTarget, source: TransferSource): TransferProblem[] {
  if (!source.found) {
    return [{ path: "model.basedOn", message: `no model version matches "${source.ref}" in ${source.location} (deleted versions do not count; see: mlship models versions ${source.ref.split("@")[0]})` }];
  }
  const { record } = source;
  const named = `${record.model}@${record.version}`;
  const problems: TransferProblem[] = [];
  if (!record.parity.passed) {
    problems.push({ path: "model.basedOn", message: `${named} is not certified (its parity certificate did not pass); only a certified version can be a basis` });
  }
  problems.push(...inputProblems(target, named, source.inputs));
  problems.push(...methodProblems(target, record, named));
  return problems;
}

// Every source input must be a target input of the same type (numeric double, categorical string).
export function inputProblems(target: Pick<TransferTarget, "numeric" | "categorical">, named: string, inputs: readonly InputColumn[] | null): TransferProblem[] {
  if (inputs === null) return [{ path: "model.basedOn", message: `${named} has no input schema in its portable model (exported before it was recorded); retrain it to use it as a basis` }];
  const roles = new Map<string, "numeric" | "categorical">([
    ...target.numeric.map((c) => [c, "numeric"] as const),
    ...target.categorical.map((c) => [c, "categorical"] as const),
  ]);
  const problems: TransferProblem[] = [];
  for (const input of inputs) {
    const role = roles.get(input.name);
    if (role === undefined) {
      problems.push({ path: "model.basedOn", message: `${named} reads the ${input.role} column "${input.name}", which model.features does not list; the target's inputs must cover the source's (add it to model.features.${input.role})` });
    } else if (TYPE_OF_ROLE[role] !== input.type) {
      problems.push({ path: "model.basedOn", message: `column "${input.name}" is ${input.role} (${input.type}) in ${named} but ${role} (${TYPE_OF_ROLE[role]}) in model.features; a source input keeps its type` });
    }
  }
  return problems;
}

// The method against the source's and the target's algorithms (and, for an MLP, its hidden layers).
export function methodProblems(target: TransferTarget, record: VersionRecord, named: string): TransferProblem[] {
  if (isOffsetGbt(target)) return offsetGbtProblems(target, record, named);
  if (target.method === "feature") return featureProblems(target, record, named);
  if (target.method === "offset") return offsetProblems(target, record, named);
  if (target.method !== "finetune") return [{ path: "model.transfer.method", message: `transfer method "${target.method}" is not yet implemented (docs/transfer.md); use "finetune"` }];
  if (!(FINETUNE_ALGORITHMS as readonly string[]).includes(record.algorithm)) {
    return [{ path: "model.transfer.method", message: `finetune starts from a ${FINETUNE_ALGORITHMS.join(" or ")}; ${named} is a ${record.algorithm}` }];
  }
  if (record.algorithm !== target.algorithm) {
    return [{ path: "model.transfer.method", message: `finetune keeps the algorithm: ${named} is a ${record.algorithm}, this spec trains ${target.algorithm}` }];
  }
  if (record.algorithm !== "mlp_classifier") return [];
  const hidden = sourceHiddenLayers(record);
  const asked = target.params.hiddenLayers;
  if (hidden && Array.isArray(asked) && asked.join(",") !== hidden.join(",")) {
    return [{ path: "model.params.hiddenLayers", message: `finetune copies the hidden layers of ${named}, [${hidden.join(", ")}]; got [${asked.join(", ")}]` }];
  }
  return [];
}

// The hidden layer sizes of a registered MLP: its fitted `layers` without the input and output sizes.
export function sourceHiddenLayers(record: VersionRecord): number[] | null {
  const layers = record.params?.params.layers;
  return Array.isArray(layers) && layers.length >= 2 && layers.every((v) => typeof v === "number") ? (layers as number[]).slice(1, -1) : null;
}
