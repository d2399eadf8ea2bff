// Reads an input file (Arrow IPC, CSV with a header, JSON lines) into a Frame.
import { readFile } from "node:fs/promises";
import { readTable } from "../model/arrow.js";
import { parse } from "csv-parse/sync";
import { UserError } from "../errors.js";
import type { FileFormat, Frame } from "./formats.js";

export async function readFrame(path: string, format: FileFormat): Promise<Frame> {
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
  const columns = names.map((name) => {
    const col = table.getChild(name)!;
    const out = new Array<unknown>(col.length);
    for (let i = 0; i < col.length; i++) {
      out[i] = plain(col.get(i));
    }
    return out;
  });
  return { names, columns, rows: table.numRows };
}

// An Arrow cell as a plain JS value: bigint -> number, nested vectors -> arrays.
function plain(v: unknown): unknown {
  if (v === null || v === undefined) return null;
  if (typeof v === "bigint") return Number(v);
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
