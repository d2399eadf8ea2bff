// The local content-addressed cache of pulled artifacts: <dir>/sha256/<hex>, written aside and renamed in.
import { createHash, randomBytes } from "node:crypto";
import { createReadStream } from "node:fs";
import { mkdir, rename, stat, unlink } from "node:fs/promises";
import { homedir } from "node:os";
import { join } from "node:path";

type Env = Record<string, string | undefined>;

// MLSHIP_CACHE_DIR, else ${XDG_CACHE_HOME:-~/.cache}/mlship/blobs.
export function resolveCacheDir(env: Env): string {
  const own = env.MLSHIP_CACHE_DIR?.trim();
  if (own) return own;
  const xdg = env.XDG_CACHE_HOME?.trim();
  return join(xdg || join(env.HOME?.trim() || homedir(), ".cache"), "mlship", "blobs");
}

// The cache path of the blob with this sha256.
export const blobPath = (cacheDir: string, sha256: string): string => join(cacheDir, "sha256", sha256);

// A fresh temporary file in the cache (same file system as the blobs, so the final rename is atomic).
export async function tempBlobPath(cacheDir: string, sha256: string): Promise<string> {
  const dir = join(cacheDir, "tmp");
  await mkdir(dir, { recursive: true });
  return join(dir, `${sha256.slice(0, 16)}.${process.pid}.${randomBytes(4).toString("hex")}.partial`);
}

// Moves a verified temporary file into its place in the cache.
export async function commitBlob(cacheDir: string, sha256: string, tempFile: string): Promise<string> {
  const target = blobPath(cacheDir, sha256);
  await mkdir(join(cacheDir, "sha256"), { recursive: true });
  await rename(tempFile, target);
  return target;
}

// The sha256 and size of a local file, read as a stream.
export async function hashFile(path: string): Promise<{ sha256: string; size: number }> {
  const hash = createHash("sha256");
  let size = 0;
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) {
    hash.update(chunk as Buffer);
    size += (chunk as Buffer).length;
  }
  return { sha256: hash.digest("hex"), size };
}

export type CacheLookup = { hit: true; path: string } | { hit: false; corrupt: boolean };

// A cached blob is used only if its size and sha256 are still right; a damaged one is deleted (and reported).
export async function lookupBlob(cacheDir: string, sha256: string, size: number): Promise<CacheLookup> {
  const path = blobPath(cacheDir, sha256);
  const info = await stat(path).catch(() => undefined);
  if (!info) return { hit: false, corrupt: false };
  if (info.isFile() && info.size === size && (await hashFile(path)).sha256 === sha256) return { hit: true, path };
  await unlink(path).catch(() => undefined);
  return { hit: false, corrupt: true };
}
