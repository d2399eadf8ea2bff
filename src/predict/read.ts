// Reads an input file (Arrow IPC, CSV with a header, JSON lines) into a Frame.
import { readFile } from "node:fs/promises";
import { readdir, stat } from "node:fs/promises";
import { join } from "node:path";
import type { DataType } from "apache-arrow";
import { readTable } from "../model/arrow.js";
import { parse } from "csv-parse/sync";
import { UserError } from "../errors.js";
import type { FileFormat, Frame } from "./formats.js";

export async function readFrame(path: string, format: FileFormat): Promise<Frame> {
  if (format === "parquet") return parquetFrame(path);
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (err) {
    throw new UserError(`cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, "E_INPUT");
  }
  try {
    if (format === "arrow" || format === "arrow-stream") return arrowFrame(bytes);
    if (format === "csv") return csvFrame(bytes);
    return jsonlFrame(bytes.toString("utf8"));
  } catch (err) {
    if (err instanceof UserError) throw err;
    throw new UserError(`${path} is not valid ${format}: ${(err as Error).message}`, "E_INPUT");
  }
}

// Checked whole before decoding (src/arrow-guard): a damaged file is refused, never half-read or invented.
function arrowFrame(bytes: Uint8Array): Frame {
  const table = readTable(bytes);
  const names = table.schema.fields.map((f) => f.name);
  const types = table.schema.fields.map((f) => f.type as DataType);
  const columns = names.map((name) => {
    const col = table.getChild(name)!;
    const out = new Array<unknown>(col.length);
    for (let i = 0; i < col.length; i++) {
      out[i] = plain(col.get(i));
    }
    return out;
  });
  return { names, columns, rows: table.numRows, types };
}

// An Arrow cell as a plain JS value: nested vectors -> arrays; 64-bit integers stay bigint (exact when carried
// through; the input contract reads them as numbers).
function plain(v: unknown): unknown {
  if (v === null || v === undefined) return null;
  if (typeof v === "object" && v !== null && "toArray" in v && typeof (v as { toArray: unknown }).toArray === "function") {
    return Array.from((v as { toArray(): ArrayLike<unknown> }).toArray(), plain);
  }
  return v;
}

function csvFrame(bytes: Buffer): Frame {
  const records = parse(bytes, { columns: true, skip_empty_lines: true, bom: true }) as Record<string, string>[];
  const names = records.length ? Object.keys(records[0]!) : [];
  return { names, columns: names.map((n) => records.map((r) => r[n] ?? "")), rows: records.length };
}

function jsonlFrame(text: string): Frame {
  const names: string[] = [];
  const seen = new Set<string>();
  const records: Record<string, unknown>[] = [];
  text.split("\n").forEach((line, i) => {
    if (!line.trim()) return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (err) {
      throw new UserError(`line ${i + 1}: not valid JSON (${(err as Error).message})`, "E_INPUT");
    }
    if (!value || typeof value !== "object" || Array.isArray(value)) throw new UserError(`line ${i + 1}: expected a JSON object per line`, "E_INPUT");
    records.push(value as Record<string, unknown>);
    for (const key of Object.keys(value)) if (!seen.has(key)) (seen.add(key), names.push(key));
  });
  return { names, columns: names.map((n) => records.map((r) => (n in r ? r[n] : null))), rows: records.length };
}

// A parquet file, or a folder of part files as Spark writes it (part-*.parquet, in name order; _SUCCESS and
// hidden files skipped), read with hyparquet; every part must have the same columns.
async function parquetFrame(path: string): Promise<Frame> {
  const { asyncBufferFromFile, parquetMetadataAsync, parquetReadObjects, parquetSchema } = await import("hyparquet");
  const { compressors } = await import("hyparquet-compressors");
  let files: string[];
  try {
    files = (await stat(path)).isDirectory()
      ? (await readdir(path)).filter((f) => f.endsWith(".parquet") && !f.startsWith(".") && !f.startsWith("_")).sort().map((f) => join(path, f))
      : [path];
  } catch (err) {
    throw new UserError(`cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, "E_INPUT");
  }
  if (files.length === 0) throw new UserError(`${path} is a folder without .parquet files`, "E_INPUT");
  let names: string[] | null = null;
  const records: Record<string, unknown>[] = [];
  for (const file of files) {
    let rows: Record<string, unknown>[];
    let these: string[];
    try {
      const buffer = await asyncBufferFromFile(file);
      const metadata = await parquetMetadataAsync(buffer);
      these = parquetSchema(metadata).children.map((c) => c.element.name);
      rows = (await parquetReadObjects({ file: buffer, metadata, compressors })) as Record<string, unknown>[];
    } catch (err) {
      throw new UserError(`${file} is not valid parquet: ${(err as Error).message}`, "E_INPUT");
    }
    if (names && these.join("\u0000") !== names.join("\u0000")) throw new UserError(`${file} has the columns ${these.join(", ")}; the other parts have ${names.join(", ")}`, "E_INPUT");
    names ??= these;
    for (const r of rows) records.push(r);
  }
  const cols = names!;
  return { names: cols, columns: cols.map((n) => records.map((r) => plain(r[n]))), rows: records.length };
}
