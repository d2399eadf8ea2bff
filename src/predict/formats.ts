// File formats `mlship predict` reads and writes, chosen by flag or by file extension.
import { extname } from "node:path";

export type FileFormat = "arrow" | "arrow-stream" | "csv" | "jsonl" | "parquet";
export const FORMATS: readonly FileFormat[] = ["arrow", "arrow-stream", "csv", "jsonl", "parquet"];
// Formats `predict` writes (parquet is read only: a file, or a folder of part files as Spark writes it).
export const OUTPUT_FORMATS: readonly FileFormat[] = ["arrow", "arrow-stream", "csv", "jsonl"];

const BY_EXTENSION: Record<string, FileFormat> = {
  ".arrow": "arrow",
  ".feather": "arrow",
  ".arrows": "arrow-stream",
  ".csv": "csv",
  ".jsonl": "jsonl",
  ".ndjson": "jsonl",
  ".parquet": "parquet",
};

// The format a flag names, else the one the extension implies, else null.
export function formatOf(path: string, flag?: string): FileFormat | null {
  if (flag) return (FORMATS as readonly string[]).includes(flag) ? (flag as FileFormat) : null;
  return BY_EXTENSION[extname(path).toLowerCase()] ?? null;
}

// Rows as columns: the neutral shape every reader produces and every writer takes. Values are plain
// JavaScript values; 64-bit integers stay bigint so a carried-through id column keeps its exact value.
export interface Frame {
  names: string[];
  columns: unknown[][];
  rows: number;
  // The Arrow type of each column when the input had one (Arrow IPC): carried-through columns keep it.
  types?: (import("apache-arrow").DataType | null)[];
}
