// The feature and offset methods against the source and the target (docs/transfer.md): pure, called by
// compat.ts methodProblems. A GBT target's offset (boosting from the source's margin) is checked elsewhere.
import type { VersionRecord } from "../registry/records.js";
import type { TransferProblem, TransferTarget } from "./compat.js";
import { OFFSET_GLM_FAMILIES } from "./methods.js";
import { sourceHiddenLayers } from "./compat.js";

const GLM = "generalized_linear_regression";
const REGRESSORS = ["linear_regression", GLM, "decision_tree_regressor", "random_forest_regressor", "gbt_regressor"];
const MARGIN_CLASSIFIERS = ["logistic_regression", "gbt_classifier", "linear_svc"];
// The source algorithms of an offset GLM of each family: the margin is their log-odds, or a GLM's log-mean.
const OFFSET_SOURCES: Record<string, readonly string[]> = { binomial: ["logistic_regression", "gbt_classifier", GLM], poisson: [GLM] };

// A source made by feature or offset holds its own source: a composite model holds one level, not a chain.
function compositeProblem(record: VersionRecord, named: string, method: string): TransferProblem[] {
  const made = record.lineage.basedOn?.method;
  return made === "feature" || made === "offset"
    ? [{ path: "model.basedOn", message: `${named} was made by the ${made} method and embeds its own source; ${method} takes a source that holds none (a composite model holds one level)` }]
    : [];
}

// The source's task-appropriate default output: probability for a classifier, prediction otherwise.
export function defaultUse(task: string): "probability" | "prediction" {
  return task.endsWith("classification") ? "probability" : "prediction";
}

// feature: the source must have the output `use` names (probability: a classifier with probabilities; margin: a
// linear-scale score).
export function featureProblems(target: TransferTarget, record: VersionRecord, named: string): TransferProblem[] {
  const use = target.use ?? defaultUse(record.task);
  const path = target.use ? "model.transfer.use" : "model.transfer.method";
  const problems = compositeProblem(record, named, "feature");
  const classifier = record.task.endsWith("classification");
  if (use === "probability" && (!classifier || record.algorithm === "linear_svc")) {
    problems.push({ path, message: `use: probability needs a classifier with probabilities; ${named} is a ${record.algorithm} (use margin or prediction)` });
  }
  if (use === "margin" && !REGRESSORS.includes(record.algorithm) && !MARGIN_CLASSIFIERS.includes(record.algorithm)) {
    problems.push({ path, message: `use: margin reads a link-scale score (${[...MARGIN_CLASSIFIERS, ...REGRESSORS].join(", ")}); ${named} is a ${record.algorithm} (use probability or prediction)` });
  }
  if (use === "hidden") problems.push(...hiddenProblems(record, named, path));
  return problems;
}

// use hidden: the source must be an MLP with at least one hidden layer (its fitted layers recorded).
function hiddenProblems(record: VersionRecord, named: string, path: TransferProblem["path"]): TransferProblem[] {
  if (record.algorithm !== "mlp_classifier") {
    return [{ path, message: `use: hidden reads an mlp_classifier's last hidden layer; ${named} is a ${record.algorithm} (use probability, margin or prediction)` }];
  }
  const hidden = sourceHiddenLayers(record);
  if (hidden === null) return [{ path, message: `use: hidden needs the source's fitted layers; ${named} records none (retrain it to use its hidden layer)` }];
  if (hidden.length === 0) return [{ path, message: `use: hidden reads the last hidden layer; ${named} has none (its layers go straight from inputs to classes)` }];
  return [];
}

// offset (GLM target): family binomial from a binary logistic regression, GBT classifier or binomial GLM; poisson
// from a poisson GLM with the log link.
export function offsetProblems(target: TransferTarget, record: VersionRecord, named: string): TransferProblem[] {
  const problems = compositeProblem(record, named, "offset");
  if (target.use !== undefined) problems.push({ path: "model.transfer.use", message: "offset always reads the source's margin (its link scale); use is for the feature method" });
  if (target.algorithm !== GLM) {
    return [...problems, { path: "model.transfer.method", message: `offset trains a ${GLM} (family ${OFFSET_GLM_FAMILIES.join(" or ")}) on the source's margin; this spec trains ${target.algorithm}` }];
  }
  const family = typeof target.params.family === "string" ? target.params.family : "gaussian";
  const sources = OFFSET_SOURCES[family];
  if (!sources) return [...problems, { path: "model.transfer.method", message: `offset takes a GLM of family ${OFFSET_GLM_FAMILIES.join(" or ")}; this spec's family is ${family}` }];
  if (!sources.includes(record.algorithm) || (record.algorithm !== GLM && record.task !== "binary_classification")) {
    problems.push({ path: "model.basedOn", message: `offset with family ${family} starts from a binary ${sources.join(", ")}; ${named} is a ${record.task.replace("_", " ")} ${record.algorithm}` });
  } else if (record.algorithm === GLM) {
    const fitted = record.params?.params ?? {};
    const sourceFamily = typeof fitted.family === "string" ? fitted.family.toLowerCase() : undefined;
    const link = typeof fitted.link === "string" && fitted.link !== "" ? fitted.link : family === "poisson" ? "log" : "logit";
    const want = family === "poisson" ? "log" : "logit";
    if (sourceFamily !== family || link !== want) {
      problems.push({ path: "model.basedOn", message: `offset with family ${family} needs a source GLM of family ${family} with the ${want} link (the same scale); ${named} is family ${sourceFamily ?? "unknown"}, link ${link}` });
    }
  }
  return problems;
}

// What the driver's block and lineage.basedOn record besides the method: feature's use (resolved), offset's family.
export function transferDetail(method: string, record: VersionRecord, use: string | undefined, params: Record<string, unknown>, algorithm: string): { use?: string; family?: string } {
  if (method === "feature") return { use: use ?? defaultUse(record.task) };
  // A GLM offset's family; a GBT offset has none (it boosts on from the source's trees).
  if (method === "offset" && algorithm === GLM) return { family: typeof params.family === "string" ? params.family : "gaussian" };
  return {};
}
