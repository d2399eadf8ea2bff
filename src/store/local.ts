// The local-directory store: atomic writes by rename, create by hard link, swap under a lock file.
import { createHash, randomBytes } from "node:crypto";
import { link, mkdir, open, readFile, readdir, rename, rm, stat, unlink, writeFile } from "node:fs/promises";
import { dirname, join, relative, sep } from "node:path";
import { pathToFileURL } from "node:url";
import type { CreateResult, GetResult, Store, SwapResult } from "./types.js";

const etagOf = (body: Uint8Array) => createHash("sha256").update(body).digest("hex").slice(0, 32);
const bytes = (body: Uint8Array | string) => (typeof body === "string" ? Buffer.from(body, "utf8") : body);

export class LocalStore implements Store {
  constructor(readonly location: string) {}

  private path(key: string): string {
    if (key.split("/").some((part) => part === ".." || part === "")) throw new Error(`invalid store key "${key}"`);
    return join(this.location, ...key.split("/"));
  }

  async get(key: string): Promise<GetResult> {
    try {
      const body = await readFile(this.path(key));
      return { ok: true, body, etag: etagOf(body) };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") return { ok: false, reason: "missing" };
      throw err;
    }
  }

  async put(key: string, body: Uint8Array | string): Promise<string> {
    const data = bytes(body);
    const tmp = await this.writeAside(key, data);
    await rename(tmp, this.path(key));
    return etagOf(data);
  }

  async create(key: string, body: Uint8Array | string): Promise<CreateResult> {
    const data = bytes(body);
    const tmp = await this.writeAside(key, data);
    try {
      await link(tmp, this.path(key)); // fails with EEXIST when the key exists: atomic create
      return { ok: true, etag: etagOf(data) };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "EEXIST") return { ok: false, reason: "exists" };
      throw err;
    } finally {
      await unlink(tmp).catch(() => undefined);
    }
  }

  async swap(key: string, body: Uint8Array | string, expected: string | null): Promise<SwapResult> {
    const release = await this.lock(key);
    try {
      const current = await this.get(key);
      const currentTag = current.ok ? current.etag : null;
      if (currentTag !== expected) return { ok: false, reason: "conflict", current: currentTag };
      return { ok: true, etag: await this.put(key, body) };
    } finally {
      await release();
    }
  }

  async list(prefix: string): Promise<string[]> {
    const base = this.path(prefix.replace(/\/+$/, "") || ".");
    let entries;
    try {
      entries = await readdir(base, { withFileTypes: true, recursive: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT" || (err as NodeJS.ErrnoException).code === "ENOTDIR") return [];
      throw err;
    }
    return entries
      .filter((e) => e.isFile() && !e.name.startsWith(".mlship-tmp-") && !e.name.endsWith(".mlship-lock"))
      .map((e) => relative(this.location, join(e.parentPath, e.name)).split(sep).join("/"))
      .sort();
  }

  async remove(key: string): Promise<void> {
    await rm(this.path(key), { force: true });
  }

  sparkUri(key: string): string {
    return pathToFileURL(this.path(key)).href;
  }

  localPath(key: string): string {
    return this.path(key);
  }

  // Writes the bytes to a temporary file beside the key's final place.
  private async writeAside(key: string, data: Uint8Array): Promise<string> {
    const target = this.path(key);
    await mkdir(dirname(target), { recursive: true });
    const tmp = join(dirname(target), `.mlship-tmp-${process.pid}-${randomBytes(6).toString("hex")}`);
    await writeFile(tmp, data);
    return tmp;
  }

  // A per-key lock file created exclusively; stale locks (older than 30 s) are broken.
  private async lock(key: string): Promise<() => Promise<void>> {
    const lockPath = `${this.path(key)}.mlship-lock`;
    await mkdir(dirname(lockPath), { recursive: true });
    for (let attempt = 0; ; attempt++) {
      try {
        const handle = await open(lockPath, "wx");
        await handle.close();
        return () => unlink(lockPath).catch(() => undefined);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
        const age = await stat(lockPath).then((s) => Date.now() - s.mtimeMs, () => 0);
        if (age > 30_000) await unlink(lockPath).catch(() => undefined);
        await new Promise((r) => setTimeout(r, Math.min(5 + attempt * 5, 100)));
      }
    }
  }
}
