// Spark's StringIndexerModel: string -> index; null or unseen follows handleInvalid.
import type { StringIndexerStage } from "../descriptor.js";
import { type ArrowTable, numberColumn, stringColumn } from "../arrow.js";
import { ModelError, RowError, SlotMap, type StageFn, type Value } from "../frame.js";

// What an indexer's labels are, per input column, in index order.
export function indexerLabels(table: ArrowTable): Map<string, string[]> {
  const columns = stringColumn(table, "column");
  const indexes = numberColumn(table, "index");
  const labels = stringColumn(table, "label");
  const byColumn = new Map<string, string[]>();
  for (let i = 0; i < columns.length; i++) {
    const col = columns[i]!;
    const list = byColumn.get(col) ?? [];
    list[indexes[i]!] = labels[i]!;
    byColumn.set(col, list);
  }
  return byColumn;
}

export function compileStringIndexer(stage: StringIndexerStage, table: ArrowTable, slots: SlotMap): StageFn {
  const labels = indexerLabels(table);
  const mode = stage.handleInvalid;
  const cols = stage.inputCols.map((input, i) => {
    const src = slots.get(input, "string_indexer");
    if (src.info.kind !== "string") throw new ModelError(`string_indexer: input "${input}" is not a string column`);
    const list = labels.get(input);
    if (!list) throw new ModelError(`string_indexer: no labels for "${input}"`);
    const index = new Map<string, number>(list.map((label, idx) => [label, idx]));
    const out = stage.outputCols[i];
    if (out === undefined) throw new ModelError("string_indexer: inputCols and outputCols differ in length");
    return { input, from: src.slot, to: slots.define(out, { kind: "double" }), index, unseen: list.length };
  });
  return (vals: Value[]) => {
    for (const c of cols) {
      const v = vals[c.from];
      const idx = typeof v === "string" ? c.index.get(v) : undefined;
      if (idx !== undefined) {
        vals[c.to] = idx;
      } else if (mode === "keep") {
        vals[c.to] = c.unseen;
      } else {
        const what = v === null ? "a null value" : `the unseen value ${JSON.stringify(v)}`;
        throw new RowError(c.input, `${what} cannot be indexed (handleInvalid=${mode})`);
      }
    }
  };
}
