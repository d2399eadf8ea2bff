// One loaded model version as the routes use it: the compiled scorer plus text prepared once at load.
import type { CompiledModel } from "../../model/index.js";
import type { VersionRecord } from "../../registry/index.js";

export interface ServedVersion {
  readonly model: string;
  readonly version: number;
  readonly tag: string; // "churn@2": the x-mlship-model-version header
  readonly record: VersionRecord;
  readonly scorer: CompiledModel;
  readonly classes: number; // probability/raw_prediction width; 0 for regression and clustering
  readonly hasProbability: boolean; // classifiers but linear_svc
  readonly hasRawPrediction: boolean;
  readonly labelJson: readonly string[] | null; // JSON text of each class's label, when labels are not the class numbers
  readonly labelsAreText: boolean;
  readonly inputNames: ReadonlySet<string>;
  readonly v1Head: string; // '{"model":"churn","version":2,"predictions":['
  readonly oipHead: string; // '{"model_name":"churn","model_version":"2"'
  readonly loadedAt: string;
}

export function servedVersion(record: VersionRecord, scorer: CompiledModel, loadedAt: Date): ServedVersion {
  const d = scorer.descriptor;
  const values = d.label.values;
  return {
    model: record.model,
    version: record.version,
    tag: `${record.model}@${record.version}`,
    record,
    scorer,
    classes: d.task.endsWith("classification") ? (d.numClasses ?? 2) : 0,
    hasProbability: d.task.endsWith("classification") && Boolean(d.outputs.probability),
    hasRawPrediction: d.task.endsWith("classification") && Boolean(d.outputs.rawPrediction),
    labelJson: values ? values.map((v) => JSON.stringify(v)) : null,
    labelsAreText: Boolean(values?.some((v) => typeof v !== "number")),
    inputNames: new Set(d.inputSchema.map((c) => c.name)),
    v1Head: `{"model":${JSON.stringify(record.model)},"version":${record.version},"predictions":[`,
    oipHead: `{"model_name":${JSON.stringify(record.model)},"model_version":"${record.version}"`,
    loadedAt: loadedAt.toISOString(),
  };
}

// A class number's label as JSON text (the number itself when the label column was numeric).
export function labelText(v: ServedVersion, prediction: number): string {
  const text = v.labelJson?.[prediction];
  return text ?? (Number.isFinite(prediction) ? `${prediction}` : "null");
}
