// Builds small portable models in memory (descriptor + Arrow stage tables) for scorer unit tests.
import { Field, Float64, List, makeVector, Table, tableFromArrays, vectorFromArray } from "apache-arrow";
import type { Descriptor, InputColumn } from "../../src/model/index.js";
import type { ArrowTable } from "../../src/model/arrow.js";

export const table = (columns: Record<string, unknown[] | Float64Array | Int32Array>): ArrowTable =>
  tableFromArrays(columns as Parameters<typeof tableFromArrays>[0]) as ArrowTable;

// A table with a list<float64> "coefficients" column (one list per row), as the linear models store them.
export function linearTable(intercepts: number[], coefficients: number[][]): ArrowTable {
  const coef = vectorFromArray(coefficients, new List(new Field("item", new Float64(), true)));
  return new Table({
    row: makeVector(Int32Array.from(intercepts.map((_, i) => i))),
    intercept: makeVector(Float64Array.from(intercepts)),
    coefficients: coef,
  }) as ArrowTable;
}

export function descriptor(partial: Partial<Descriptor> & { inputSchema: InputColumn[]; stages: Descriptor["stages"] }): Descriptor {
  return {
    format: "mlship-portable-model",
    formatVersion: 1,
    algorithm: "logistic_regression",
    task: "binary_classification",
    label: { column: "y", values: null },
    numClasses: 2,
    outputs: { prediction: "prediction", probability: "probability", rawPrediction: "rawPrediction" },
    ...partial,
  };
}
