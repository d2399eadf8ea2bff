// Reading Arrow IPC tables into plain typed arrays (nulls kept as null).
import { tableFromIPC, type Table } from "apache-arrow";
import { checkArrowIpc, type ArrowLimits } from "../arrow-guard/index.js";

export type ArrowTable = Table;

// Files from the store or the user: wide feature tables are fine, the decoder's cost grows with columns squared.
export const FILE_LIMITS: ArrowLimits = { maxColumns: 10_000 };

// An Arrow IPC stream or file as a table, checked whole first (src/arrow-guard): rows, columns and every
// buffer must be what the metadata says; otherwise an Error saying what is wrong, before anything is decoded.
export function readTable(bytes: Uint8Array, limits: ArrowLimits = FILE_LIMITS): Table {
  const verdict = checkArrowIpc(bytes, limits);
  if (!verdict.ok) throw new Error(verdict.kind === "invalid" ? verdict.reason : `too large: ${verdict.reason}`);
  const table = tableFromIPC(bytes);
  if (table.numRows !== verdict.rows) throw new Error(`it decodes to ${table.numRows} rows, its batches claim ${verdict.rows}`);
  return table;
}

// A column as numbers, with null where the value is null.
export function numberColumn(table: Table, name: string): (number | null)[] {
  const col = requireColumn(table, name);
  const out: (number | null)[] = new Array(col.length);
  for (let i = 0; i < col.length; i++) {
    const v = col.get(i);
    out[i] = v === null || v === undefined ? null : Number(v);
  }
  return out;
}

// A column as strings, with null where the value is null.
export function stringColumn(table: Table, name: string): (string | null)[] {
  const col = requireColumn(table, name);
  const out: (string | null)[] = new Array(col.length);
  for (let i = 0; i < col.length; i++) {
    const v = col.get(i);
    out[i] = v === null || v === undefined ? null : String(v);
  }
  return out;
}

// A list<float64> column as one Float64Array per row.
export function listColumn(table: Table, name: string): (Float64Array | null)[] {
  const col = requireColumn(table, name);
  const out: (Float64Array | null)[] = new Array(col.length);
  for (let i = 0; i < col.length; i++) {
    const v = col.get(i);
    out[i] = v === null || v === undefined ? null : Float64Array.from(v.toArray() as ArrayLike<number>);
  }
  return out;
}

function requireColumn(table: Table, name: string) {
  const col = table.getChild(name);
  if (!col) throw new Error(`Arrow table has no column "${name}" (columns: ${table.schema.fields.map((f) => f.name).join(", ")})`);
  return col;
}
