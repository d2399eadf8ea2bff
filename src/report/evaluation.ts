// The evaluation artifacts of a version (model/evaluation/*.arrow, docs/report.md) as plain rows, each file checked
// against its columns and types before anything reads it (the files come from the store: untrusted).
import { DataType, type Table } from "apache-arrow";
import { readTable } from "../model/arrow.js";

type ColumnKind = "string" | "number";

// Every evaluation file and its columns, in the order the Spark side writes them
// (spark-scripts/mlship_runtime/evaluation/).
export const EVALUATION_FILES = {
  curves: { class: "string", threshold: "number", fpr: "number", tpr: "number", precision: "number", recall: "number" },
  confusion: { actual: "string", predicted: "string", count: "number" },
  calibration: { class: "string", bin: "number", lower: "number", upper: "number", meanPredicted: "number", observed: "number", count: "number" },
  score_histogram: { class: "string", actual: "string", bin: "number", lower: "number", upper: "number", count: "number" },
  residual_summary: { count: "number", mean: "number", std: "number", min: "number", q1: "number", median: "number", q3: "number", max: "number" },
  residual_histogram: { bin: "number", lower: "number", upper: "number", count: "number" },
  predicted_actual: { actual: "number", predicted: "number" },
  clusters: { cluster: "number", size: "number", silhouette: "number" },
  weights: { class: "string", feature: "string", kind: "string", value: "number" },
  features: {
    feature: "string", kind: "string", count: "number", missing: "number", mean: "number", std: "number", min: "number",
    max: "number", levels: "number", level: "string", levelCount: "number",
  },
} as const satisfies Record<string, Record<string, ColumnKind>>;

export type EvaluationFile = keyof typeof EVALUATION_FILES;
type RowOf<S extends Record<string, ColumnKind>> = { [K in keyof S]: S[K] extends "string" ? string | null : number | null };
export type EvaluationRow<F extends EvaluationFile> = RowOf<(typeof EVALUATION_FILES)[F]>;
export type Evaluation = { [F in EvaluationFile]?: EvaluationRow<F>[] };

export const EVALUATION_DIR = "evaluation";
export const evaluationPath = (file: EvaluationFile) => `${EVALUATION_DIR}/${file}.arrow`;
export const isEvaluationFile = (name: string): name is EvaluationFile => Object.hasOwn(EVALUATION_FILES, name);

// The most rows a report reads from one file: the Spark side writes a few thousand at most.
export const MAX_ROWS = 200_000;

// The rows of one evaluation file, or why it cannot be read (wrong columns or types, too many rows, bad Arrow).
export function parseEvaluationFile<F extends EvaluationFile>(file: F, bytes: Uint8Array): { ok: true; rows: EvaluationRow<F>[] } | { ok: false; reason: string } {
  let table: Table;
  try {
    table = readTable(bytes, { maxColumns: 64, maxRows: MAX_ROWS });
  } catch (err) {
    return { ok: false, reason: `${evaluationPath(file)}: ${(err as Error).message}` };
  }
  const spec: Record<string, ColumnKind> = EVALUATION_FILES[file];
  const columns: [string, ColumnKind, ReturnType<Table["getChild"]>][] = [];
  for (const [name, kind] of Object.entries(spec)) {
    const child = table.getChild(name);
    const field = table.schema.fields.find((f) => f.name === name);
    if (!child || !field) return { ok: false, reason: `${evaluationPath(file)}: no column "${name}"` };
    const fits = kind === "string" ? DataType.isUtf8(field.type) || DataType.isLargeUtf8(field.type) : DataType.isFloat(field.type) || DataType.isInt(field.type);
    if (!fits) return { ok: false, reason: `${evaluationPath(file)}: column "${name}" is ${field.type}, expected ${kind === "string" ? "text" : "numbers"}` };
    columns.push([name, kind, child]);
  }
  const rows: EvaluationRow<F>[] = [];
  for (let i = 0; i < table.numRows; i++) {
    const row: Record<string, string | number | null> = {};
    for (const [name, kind, child] of columns) {
      const v = child!.get(i);
      row[name] = v === null || v === undefined ? null : kind === "string" ? String(v) : Number(v);
    }
    rows.push(row as EvaluationRow<F>);
  }
  return { ok: true, rows };
}
