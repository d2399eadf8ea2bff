// Writes a Frame as Arrow IPC (file or stream), CSV or JSON lines; list columns become arrays or _i columns.
import { writeFile, rename } from "node:fs/promises";
import { tableFromArrays, tableToIPC, vectorFromArray, Table, Bool, Float64, Int64, List, Field, Utf8, type DataType, type Vector } from "apache-arrow";
import { stringify } from "csv-stringify/sync";
import type { FileFormat, Frame } from "./formats.js";

export async function writeFrame(path: string, format: FileFormat, frame: Frame): Promise<void> {
  const body = format === "csv" ? csvText(frame) : format === "jsonl" ? jsonlText(frame) : arrowBytes(frame, format === "arrow-stream" ? "stream" : "file");
  const tmp = `${path}.mlship-tmp-${process.pid}`;
  await writeFile(tmp, body); // written aside, then renamed: a reader never sees half a file
  await rename(tmp, path);
}

const isList = (col: unknown[]) => col.some((v) => Array.isArray(v));

function arrowBytes(frame: Frame, kind: "file" | "stream"): Uint8Array {
  const vectors: Record<string, Vector> = {};
  frame.names.forEach((name, i) => {
    const col = frame.columns[i]!;
    const type = frame.types?.[i] ?? arrowType(col);
    vectors[name] = vectorFromArray(type instanceof Utf8 ? col.map((v) => (v === null || v === undefined || typeof v === "string" ? v : JSON.stringify(v))) : col, type);
  });
  const table = frame.names.length ? new Table(vectors) : tableFromArrays({});
  return tableToIPC(table, kind);
}

// The Arrow type a column's values need: list<double>, double, bool, else utf8.
function arrowType(col: unknown[]): DataType {
  const present = col.filter((v) => v !== null && v !== undefined);
  if (present.length && present.every((v) => Array.isArray(v) && v.every((x) => typeof x === "number"))) return new List(new Field("item", new Float64(), true));
  if (present.every((v) => typeof v === "number")) return new Float64();
  if (present.length && present.every((v) => typeof v === "bigint")) return new Int64();
  if (present.length && present.every((v) => typeof v === "boolean")) return new Bool();
  return new Utf8();
}

function csvText(frame: Frame): string {
  const header: string[] = [];
  const getters: ((row: number) => unknown)[] = [];
  frame.names.forEach((name, i) => {
    const col = frame.columns[i]!;
    if (isList(col)) {
      const width = Math.max(...col.map((v) => (Array.isArray(v) ? v.length : 0)));
      for (let k = 0; k < width; k++) {
        header.push(`${name}_${k}`);
        getters.push((r) => (col[r] as number[] | null)?.[k] ?? "");
      }
    } else {
      header.push(name);
      getters.push((r) => col[r] ?? "");
    }
  });
  const rows = Array.from({ length: frame.rows }, (_, r) => getters.map((g) => g(r)));
  return stringify([header, ...rows]);
}

function jsonlText(frame: Frame): string {
  let out = "";
  for (let r = 0; r < frame.rows; r++) {
    const record: Record<string, unknown> = {};
    frame.names.forEach((name, i) => (record[name] = frame.columns[i]![r] ?? null));
    out += `${JSON.stringify(record, exactIntegers)}\n`;
  }
  return out;
}

// JSON has one number type: a 64-bit integer is written as a number when exact, else as its digits in a string.
function exactIntegers(_key: string, value: unknown): unknown {
  if (typeof value !== "bigint") return value;
  return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value.toString();
}
