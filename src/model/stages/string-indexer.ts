// Spark's StringIndexerModel: string -> index; null or unseen follows handleInvalid.
import type { StringIndexerStage } from "../descriptor.js";
import { type ArrowTable, numberColumn, stringColumn } from "../arrow.js";
import { ModelError, RowError, SlotMap, type StageFn, type Value } from "../frame.js";
import { type CodedStrings, type ColumnStageFn, rowFails, withColumns } from "../columns.js";

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
  // Batch: each distinct word of the batch is looked up once (-1: cannot be indexed), then each row's code.
  const columns: ColumnStageFn = (frame) => {
    for (const c of cols) {
      const { codes, words } = frame.slots[c.from] as CodedStrings;
      const byCode = indexesOf(c, words);
      const forNull = mode === "keep" ? c.unseen : -1;
      const out = frame.alloc();
      for (let r = 0; r < out.length; r++) {
        const code = codes[r]!;
        const idx = code < 0 ? forNull : byCode[code]!;
        if (idx < 0) rowFails(c.input);
        out[r] = idx;
      }
      frame.slots[c.to] = { values: out, nulls: null };
    }
  };
  // The index of each word of a batch, per input column (the words array is shared by all chunks of a batch).
  const indexCache = new Map(cols.map((c) => [c, new WeakMap<object, Int32Array>()]));
  const indexesOf = (c: (typeof cols)[number], words: readonly (string | null)[]): Int32Array => {
    const cache = indexCache.get(c)!;
    let byCode = cache.get(words);
    if (byCode && byCode.length === words.length) return byCode;
    byCode = new Int32Array(words.length);
    for (let k = 0; k < words.length; k++) {
      const w = words[k];
      const idx = typeof w === "string" ? c.index.get(w) : undefined;
      byCode[k] = idx !== undefined ? idx : mode === "keep" ? c.unseen : -1;
    }
    cache.set(words, byCode);
    return byCode;
  };
  const row = (vals: Value[]) => {
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
  return withColumns(row, columns);
}
