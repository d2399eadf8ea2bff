// Lists the local files Spark reads for a path, folder or glob, with size and mtime (node:fs).
import { readdir, realpath, stat } from "node:fs/promises";
import { join } from "node:path";
import { sparkReadsFile, sparkSkips } from "./source.js";
import type { InputFile } from "./types.js";

const entry = (path: string, size: number, mtime: Date): InputFile => ({ path: `file://${path}`, size, mtime: mtime.toISOString() });

// Every file under `base` that Spark reads for base/glob; a missing base lists nothing.
export async function listLocal(base: string, glob: string | null): Promise<InputFile[]> {
  const top = await stat(base).catch(() => null);
  if (!top) return [];
  if (top.isFile()) return glob === null ? [entry(base, top.size, top.mtime)] : [];
  const files: InputFile[] = [];
  await walk(base, "", new Set([await realpath(base)]), async (rel, s) => {
    if (sparkReadsFile(rel, glob)) files.push(entry(join(base, rel), s.size, s.mtime));
  });
  return files;
}

// Visits the files below dir/rel; like Hadoop's local filesystem it follows symbolic links (each real folder once).
async function walk(dir: string, rel: string, seen: Set<string>, visit: (rel: string, s: { size: number; mtime: Date }) => Promise<void>): Promise<void> {
  for (const name of (await readdir(join(dir, rel))).sort()) {
    if (sparkSkips(name)) continue;
    const child = rel ? `${rel}/${name}` : name;
    const s = await stat(join(dir, child)).catch(() => null); // a dangling link is not data
    if (s?.isFile()) await visit(child, s);
    else if (s?.isDirectory()) {
      const real = await realpath(join(dir, child));
      if (seen.has(real)) continue;
      seen.add(real);
      await walk(dir, child, seen, visit);
    }
  }
}
