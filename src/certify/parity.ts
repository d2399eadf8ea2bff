// The parity certificate: score Spark's parity sample with the TypeScript scorer and compare.
import type { CompiledModel } from "../model/compile.js";
import { listColumn, numberColumn, readTable, stringColumn } from "../model/arrow.js";
import { RowError, type Value } from "../model/frame.js";

// A sample of part of the data needs this many rows: fewer prove too little to certify a model.
export const MIN_PARITY_ROWS = 200;
// A sample that holds every row Spark scored (a data set smaller than parity.rows) proves all the data can;
// it still needs this many, the fewest rows mlship trains on (spark-scripts/mlship_runtime/export/parity.py).
export const MIN_DATA_ROWS = 20;
// parity.arrow's schema metadata key: "true" when the sample holds every row Spark scored.
export const ALL_ROWS_KEY = "mlship.allRows";

// The fewest rows a parity sample must have.
export function minParityRows(allRows: boolean): number {
  return allRows ? MIN_DATA_ROWS : MIN_PARITY_ROWS;
}

export interface ParityReport {
  rows: number;
  // Whether the sample holds every row Spark scored, and so the fewest rows it needs (minParityRows).
  allRows: boolean;
  minRows: number;
  maxAbsDiff: number;
  tolerance: number;
  labelMismatches: number;
  passed: boolean;
  // The worst disagreement, to show the user where to look.
  worst?: { row: number; output: string; spark: number; mlship: number };
  errors: string[];
}

// Compares the scorer with Spark's outputs in parity.arrow; never throws for a mismatch.
export function checkParity(model: CompiledModel, parityArrow: Uint8Array, tolerance: number): ParityReport {
  const table = readTable(parityArrow);
  const rows = table.numRows;
  const allRows = table.schema.metadata.get(ALL_ROWS_KEY) === "true";
  const inputs = model.inputSchema.map((c) => (c.type === "double" ? numberColumn(table, c.name) : stringColumn(table, c.name)));
  const sparkPrediction = numberColumn(table, "spark_prediction");
  const { task, outputs } = model.descriptor;
  const classifier = task === "binary_classification" || task === "multiclass_classification";
  // Class and cluster numbers must be identical; regression predictions only within the tolerance.
  const exactPrediction = classifier || task === "clustering";
  // Only the outputs the model has (linear_svc: rawPrediction without probability; clustering: neither).
  const sparkProb = classifier && outputs.probability ? listColumn(table, "spark_probability") : null;
  const sparkRaw = classifier && outputs.rawPrediction ? listColumn(table, "spark_raw_prediction") : null;
  const report: ParityReport = { rows, allRows, minRows: minParityRows(allRows), maxAbsDiff: 0, tolerance, labelMismatches: 0, passed: false, errors: [] };
  const values: Value[] = new Array(inputs.length);

  const compare = (row: number, output: string, spark: number, mlship: number) => {
    const diff = spark === mlship ? 0 : Math.abs(spark - mlship); // the same infinity is no difference
    const bad = Number.isNaN(diff) ? !(Number.isNaN(spark) && Number.isNaN(mlship)) : false;
    const d = bad ? Number.POSITIVE_INFINITY : Number.isNaN(diff) ? 0 : diff;
    if (d > report.maxAbsDiff || (d === report.maxAbsDiff && !report.worst)) {
      report.maxAbsDiff = d;
      report.worst = { row, output, spark, mlship };
    }
  };

  for (let r = 0; r < rows; r++) {
    for (let i = 0; i < inputs.length; i++) values[i] = inputs[i]![r] ?? null;
    let p;
    try {
      p = model.scoreValues(values);
    } catch (err) {
      if (err instanceof RowError) {
        report.errors.push(`row ${r}: ${err.message}`);
        continue;
      }
      throw err;
    }
    const expected = sparkPrediction[r] ?? Number.NaN;
    compare(r, "prediction", expected, p.prediction);
    if (exactPrediction && expected !== p.prediction) report.labelMismatches++;
    if (sparkProb) {
      const prob = sparkProb[r];
      if (!prob || !p.probability || prob.length !== p.probability.length) {
        report.errors.push(`row ${r}: probability widths differ between Spark and mlship`);
        continue;
      }
      for (let k = 0; k < prob.length; k++) compare(r, `probability[${k}]`, prob[k]!, p.probability[k]!);
    }
    if (sparkRaw) {
      const raw = sparkRaw[r];
      if (!raw || !p.rawPrediction || raw.length !== p.rawPrediction.length) {
        report.errors.push(`row ${r}: rawPrediction widths differ between Spark and mlship`);
        continue;
      }
      for (let k = 0; k < raw.length; k++) compare(r, `rawPrediction[${k}]`, raw[k]!, p.rawPrediction[k]!);
    }
  }
  if (report.errors.length === 0) checkBatchPath(model, inputs, rows, report);
  report.passed = parityFailures(report).length === 0;
  return report;
}

// Each condition the certificate failed, in words (none: it passed). One message for `train` and `serve`,
// so it only ever names what failed.
export function parityFailures(report: ParityReport): string[] {
  const failures: string[] = [];
  const { rows, minRows } = report;
  if (rows < minRows) {
    failures.push(
      report.allRows
        ? `the parity sample holds every row Spark scored, ${rows}; at least ${minRows} are needed: train on more rows`
        : `the parity sample has ${rows} rows and not every row of the data; at least ${minRows} are needed (export_pipeline: pass df_train)`,
    );
  }
  if (report.maxAbsDiff > report.tolerance) failures.push(`max |Δ| ${report.maxAbsDiff} > tolerance ${report.tolerance}`);
  if (report.labelMismatches > 0) failures.push(`${report.labelMismatches} label mismatches over ${rows} rows`);
  const n = report.errors.length;
  if (n > 0) failures.push(`${n} scoring problem${n === 1 ? "" : "s"}`);
  return failures;
}

// The refusal of a failed certificate: what failed, then the worst disagreement (when there is one) and the first errors.
export function parityRefusal(report: ParityReport): { message: string; details: string[] } {
  const w = report.worst;
  const disagrees = report.maxAbsDiff > report.tolerance || report.labelMismatches > 0;
  const worst = w && disagrees ? [`worst: row ${w.row} ${w.output}: Spark ${w.spark}, mlship ${w.mlship}`] : [];
  return { message: `parity certificate failed: ${parityFailures(report).join("; ")}`, details: [...worst, ...report.errors.slice(0, 5)] };
}

// The batch path (scoreColumns: the Arrow route and `mlship predict`) must give the row path's answers bit
// for bit, so the certificate covers both; a difference is an error naming the first row and output.
function checkBatchPath(model: CompiledModel, inputs: ArrayLike<number | string | null>[], rows: number, report: ParityReport): void {
  const columns = Object.fromEntries(model.inputSchema.map((c, i) => [c.name, inputs[i]!]));
  let batch;
  try {
    batch = model.scoreColumns(columns, rows);
  } catch (err) {
    if (err instanceof RowError) {
      report.errors.push(`batch scoring refused a row the row path scored: ${err.message}`);
      return;
    }
    throw err;
  }
  const values: Value[] = new Array(inputs.length);
  const same = (a: number, b: number) => a === b || (Number.isNaN(a) && Number.isNaN(b));
  for (let r = 0; r < rows; r++) {
    for (let i = 0; i < inputs.length; i++) values[i] = inputs[i]![r] ?? null;
    const p = model.scoreValues(values);
    const outputs: [string, number, number][] = [["prediction", p.prediction, batch.prediction[r]!]];
    for (let k = 0; k < batch.width; k++) {
      if (p.probability && batch.probability) outputs.push([`probability[${k}]`, p.probability[k]!, batch.probability[r * batch.width + k]!]);
      if (p.rawPrediction && batch.rawPrediction) outputs.push([`rawPrediction[${k}]`, p.rawPrediction[k]!, batch.rawPrediction[r * batch.width + k]!]);
    }
    const differs = outputs.find(([, row, col]) => !same(row, col));
    if (differs) {
      report.errors.push(`row ${r}: batch scoring gives ${differs[0]} ${differs[2]}, row scoring ${differs[1]}`);
      return;
    }
  }
}
