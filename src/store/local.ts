// The local-directory store: atomic writes by rename, create by hard link, swap under a lock file.
import { createHash, randomBytes } from "node:crypto";
import { link, mkdir, open, readFile, readdir, rename, rm, stat, unlink, writeFile } from "node:fs/promises";
import { dirname, join, relative, sep } from "node:path";
import { pathToFileURL } from "node:url";
import type { CreateResult, GetResult, HeadResult, RangeResult, Store, SwapResult } from "./types.js";

const etagOf = (body: Uint8Array) => createHash("sha256").update(body).digest("hex").slice(0, 32);
const bytes = (body: Uint8Array | string) => (typeof body === "string" ? Buffer.from(body, "utf8") : body);

export class LocalStore implements Store {
  // The files are already on this machine: pulls verify them where they are instead of copying them.
  readonly blobCache = null;

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

  async head(key: string): Promise<HeadResult> {
    try {
      const info = await stat(this.path(key));
      return info.isFile() ? { ok: true, size: info.size } : { ok: false, reason: "missing" };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") return { ok: false, reason: "missing" };
      throw err;
    }
  }

  async getRange(key: string, start: number, endInclusive: number): Promise<RangeResult> {
    let handle;
    try {
      handle = await open(this.path(key), "r");
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") return { ok: false, reason: "missing" };
      throw err;
    }
    try {
      const body = Buffer.alloc(Math.max(0, endInclusive - start + 1));
      let filled = 0;
      while (filled < body.length) {
        const { bytesRead } = await handle.read(body, filled, body.length - filled, start + filled);
        if (bytesRead === 0) break; // the file ends before the range does
        filled += bytesRead;
      }
      return { ok: true, body: body.subarray(0, filled) };
    } finally {
      await handle.close();
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

  async listWithSizes(prefix: string): Promise<{ key: string; size: number }[]> {
    const keys = await this.list(prefix);
    const sized = await Promise.all(keys.map(async (key) => ({ key, size: await stat(this.path(key)).then((s) => s.size, () => -1) })));
    return sized.filter((o) => o.size >= 0); // a file removed since the listing is simply absent
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
