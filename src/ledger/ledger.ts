// The ledger's decisions as pure functions over file lists: what a chain consumed, what is new, what changed.
import type { InputFile } from "./types.js";

// What makes two listings of one path the same file: its size and its mtime or ETag.
const sameContent = (a: InputFile, b: InputFile): boolean => a.size === b.size && a.mtime === b.mtime && a.etag === b.etag;

// One path whose content differs between two listings.
export interface ChangedFile {
  path: string;
  before: InputFile;
  now: InputFile;
}

// The files a chain of versions consumed (each version's list, oldest first), by path; a later version's entry wins.
export function consumedSet(chain: readonly (readonly InputFile[])[]): Map<string, InputFile> {
  const consumed = new Map<string, InputFile>();
  for (const files of chain) for (const f of files) consumed.set(f.path, f);
  return consumed;
}

// Splits a listing against what was consumed: new files, files consumed unchanged, and consumed paths that changed
// since (rewritten in place: their old rows were counted, their new rows would be counted twice, so they are refused).
export function diffListing(listed: readonly InputFile[], consumed: ReadonlyMap<string, InputFile>) {
  const fresh: InputFile[] = [];
  const unchanged: InputFile[] = [];
  const changed: ChangedFile[] = [];
  for (const f of listed) {
    const seen = consumed.get(f.path);
    if (!seen) fresh.push(f);
    else if (sameContent(seen, f)) unchanged.push(f);
    else changed.push({ path: f.path, before: seen, now: f });
  }
  return { fresh, unchanged, changed };
}

// The refusal for consumed files that changed, naming each (up to `shown`), or null when there are none.
export function overlapRefusal(changed: readonly ChangedFile[], shown = 5): { message: string; details: string[] } | null {
  if (changed.length === 0) return null;
  const details = changed.slice(0, shown).map((c) => `${c.path}: ${describe(c.before)} when consumed, ${describe(c.now)} now`);
  if (changed.length > shown) details.push(`… and ${changed.length - shown} more`);
  return {
    message: `${changed.length} input file${changed.length === 1 ? " was" : "s were"} already consumed and changed since; ` +
      "their rows would be counted twice: write new data to new files instead of rewriting old ones",
    details,
  };
}

// New files that are consumed ones under another name: an S3 object with a consumed object's ETag and size (the same
// content, copied or moved), or a local file with a consumed file's size and mtime whose old path is gone (moved;
// `mv` keeps the mtime). Their rows were counted; each is named with the consumed path it repeats.
export function repeatedFiles(fresh: readonly InputFile[], consumed: ReadonlyMap<string, InputFile>, listedPaths: ReadonlySet<string>): { path: string; repeats: string }[] {
  const byContent = new Map<string, InputFile>();
  const key = (f: InputFile) => (f.etag !== undefined ? `e:${f.etag}:${f.size}` : f.mtime !== undefined ? `m:${f.mtime}:${f.size}` : null);
  for (const c of consumed.values()) {
    const k = key(c);
    if (k) byContent.set(k, c);
  }
  const out: { path: string; repeats: string }[] = [];
  for (const f of fresh) {
    const k = key(f);
    const c = k ? byContent.get(k) : undefined;
    if (c && (f.etag !== undefined || !listedPaths.has(c.path))) out.push({ path: f.path, repeats: c.path });
  }
  return out;
}

// The differences between the files listed before a run and what the driver reported reading, or after the run.
export function compareRunListings(before: readonly InputFile[], after: readonly InputFile[]): { added: string[]; removed: string[]; changed: ChangedFile[] } {
  const { fresh, changed } = diffListing(after, new Map(before.map((f) => [f.path, f])));
  const now = new Set(after.map((f) => f.path));
  return { added: fresh.map((f) => f.path), removed: before.filter((f) => !now.has(f.path)).map((f) => f.path), changed };
}

// Paths read by the driver that the listing does not have, and listed paths it did not read.
export function compareWithDriver(listed: readonly InputFile[], driverPaths: readonly string[]): { unlisted: string[]; unread: string[] } {
  const read = new Set(driverPaths);
  const have = new Set(listed.map((f) => f.path));
  return { unlisted: [...read].filter((p) => !have.has(p)).sort(), unread: [...have].filter((p) => !read.has(p)).sort() };
}

// A path as the driver's inputFiles() names it (file:/x, file:///x, s3a://b/k, percent-encoded) in the ledger's form.
export function normaliseDriverPath(path: string): string {
  const decode = (s: string) => {
    try {
      return decodeURIComponent(s);
    } catch {
      return s;
    }
  };
  const local = /^file:(?:\/\/[^/]*)?(\/.*)$/.exec(path);
  if (local) return `file://${decode(local[1]!)}`;
  const s3 = /^s3[an]?:\/\/(.*)$/i.exec(path);
  if (s3) return `s3://${decode(s3[1]!)}`;
  return path;
}

// The files sorted by path, as the lineage stores them (so two listings of one set compare equal).
export const sortedByPath = (files: readonly InputFile[]): InputFile[] => [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));

const describe = (f: InputFile) => `${f.size} bytes, ${f.etag !== undefined ? `ETag ${f.etag}` : `modified ${f.mtime ?? "?"}`}`;
