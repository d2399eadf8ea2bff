// Lists a spec's input files wherever data.train points: { ok, files } or why it cannot be listed.
import { listLocal } from "./list-local.js";
import { listS3 } from "./list-s3.js";
import { sortedByPath } from "./ledger.js";
import { dataSource } from "./source.js";
import type { InputFile } from "./types.js";

export type Listing = { ok: true; files: InputFile[] } | { ok: false; reason: string };

// `train` is data.train made absolute (a file:// URI) or an s3:// / s3a:// URI; errors become reasons, never throws.
export async function listInputFiles(train: string, env: Record<string, string | undefined>): Promise<Listing> {
  const source = dataSource(train);
  try {
    if (source.kind === "unlisted") return { ok: false, reason: source.reason };
    const files = source.kind === "local" ? await listLocal(source.base, source.glob) : await listS3(env, source.bucket, source.base, source.glob);
    return { ok: true, files: sortedByPath(files) };
  } catch (err) {
    return { ok: false, reason: `listing ${train} failed: ${(err as Error).message}` };
  }
}
