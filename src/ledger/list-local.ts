// Lists the local files Spark reads for a path, folder or glob, with size and mtime (node:fs).
import { readdir, stat } from "node:fs/promises";
import { join, relative, sep } from "node:path";
import { sparkReadsFile } from "./source.js";
import type { InputFile } from "./types.js";

const entry = (path: string, size: number, mtime: Date): InputFile => ({ path: `file://${path}`, size, mtime: mtime.toISOString() });

// Every file under `base` that Spark reads for base/glob; a missing base lists nothing.
export async function listLocal(base: string, glob: string | null): Promise<InputFile[]> {
  const top = await stat(base).catch(() => null);
  if (!top) return [];
  if (top.isFile()) return glob === null ? [entry(base, top.size, top.mtime)] : [];
  const names = await readdir(base, { recursive: true });
  const files: InputFile[] = [];
  for (const name of names) {
    const rel = relative(base, join(base, name)).split(sep).join("/");
    if (!sparkReadsFile(rel, glob)) continue;
    const s = await stat(join(base, name)).catch(() => null);
    if (s?.isFile()) files.push(entry(join(base, name), s.size, s.mtime));
  }
  return files;
}
