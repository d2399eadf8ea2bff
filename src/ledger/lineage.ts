// Keeps a version's consumed files in its lineage: inline when few, else in a checksummed run artifact.
import { createHash } from "node:crypto";
import { FatalError } from "../errors.js";
import { inputFilesDocSchema } from "../records/schemas.js";
import type { Lineage } from "../registry/records.js";
import type { Store } from "../store/types.js";
import type { InputFile } from "./types.js";

// Above this many files the list goes to runs/<job>/<run-id>/input-files.json (about 150 bytes a file inline).
export const INLINE_INPUT_FILES = 1000;
export const INPUT_FILES_ARTIFACT = "input-files.json";

type LedgerFields = Pick<Lineage, "inputFiles" | "inputFilesRef">;

// The lineage fields for `files`, and the artifact to write first when the list is too long to keep inline.
export function ledgerFields(files: InputFile[], runPrefix: string): { fields: LedgerFields; artifact: { key: string; body: string } | null } {
  if (files.length <= INLINE_INPUT_FILES) return { fields: { inputFiles: files }, artifact: null };
  const key = `${runPrefix}/${INPUT_FILES_ARTIFACT}`;
  const body = `${JSON.stringify({ files })}\n`;
  const sha256 = createHash("sha256").update(body, "utf8").digest("hex");
  const bytes = files.reduce((sum, f) => sum + f.size, 0);
  return { fields: { inputFilesRef: { key, sha256, files: files.length, bytes } }, artifact: { key, body } };
}

// How many files a version consumed and their total size, without reading an artifact; null before the ledger.
export function consumedSummary(lineage: Lineage): { files: number; bytes: number } | null {
  if (lineage.inputFilesRef) return { files: lineage.inputFilesRef.files, bytes: lineage.inputFilesRef.bytes };
  if (lineage.inputFiles) return { files: lineage.inputFiles.length, bytes: lineage.inputFiles.reduce((sum, f) => sum + f.size, 0) };
  return null;
}

// The files a version consumed (the artifact checked against its recorded sha256 and schema); null before the ledger.
export async function loadConsumedFiles(store: Store, lineage: Lineage): Promise<InputFile[] | null> {
  const ref = lineage.inputFilesRef;
  if (!ref) return lineage.inputFiles ?? null;
  const got = await store.get(ref.key);
  if (!got.ok) throw new FatalError(`the input ledger ${ref.key} is missing from ${store.location}`, "E_ARTIFACTS");
  const digest = createHash("sha256").update(got.body).digest("hex");
  if (digest !== ref.sha256) throw new FatalError(`the input ledger ${ref.key} does not match its recorded sha256`, "E_ARTIFACTS");
  let doc: unknown;
  try {
    doc = JSON.parse(Buffer.from(got.body).toString("utf8"));
  } catch {
    doc = null;
  }
  const parsed = inputFilesDocSchema.safeParse(doc);
  if (!parsed.success || parsed.data.files.length !== ref.files) throw new FatalError(`the input ledger ${ref.key} is damaged`, "E_ARTIFACTS");
  return parsed.data.files as InputFile[];
}

// The lineage of a version and its ancestors, oldest first, following parentVersion (a cycle or a gap stops the walk).
export async function lineageChain(version: number, getLineage: (version: number) => Promise<Lineage | null>): Promise<Lineage[]> {
  const chain: Lineage[] = [];
  const seen = new Set<number>();
  for (let v: number | null | undefined = version; v != null && !seen.has(v); ) {
    seen.add(v);
    const lineage = await getLineage(v);
    if (!lineage) break;
    chain.unshift(lineage);
    v = lineage.parentVersion;
  }
  return chain;
}
