// Parses data.train (after it was made absolute) into what to list, and the rules for which files Spark reads.
import { fileURLToPath } from "node:url";
import type { DataSource } from "./types.js";

const GLOB_CHAR = /[*?[{]/;

// Splits "a/b/*/c" into the part before the first segment holding a glob character and the rest (null: no glob).
export function splitGlob(path: string): { base: string; glob: string | null } {
  const parts = path.split("/");
  const first = parts.findIndex((p) => GLOB_CHAR.test(p));
  if (first < 0) return { base: path.replace(/\/+$/, "") || "/", glob: null };
  return { base: parts.slice(0, first).join("/") || "/", glob: parts.slice(first).join("/") };
}

// The source behind a data URI: file:// (local), s3:// or s3a:// (S3); any other scheme is not listed.
export function dataSource(train: string): DataSource {
  const s3 = /^s3a?:\/\/([^/]+)\/?(.*)$/i.exec(train);
  if (s3) {
    const { base, glob } = splitGlob(s3[2]!);
    return { kind: "s3", bucket: s3[1]!, base: base === "/" ? "" : base, glob };
  }
  if (train.startsWith("file:")) {
    // fileURLToPath would turn a glob's %7B back into "{", which is what Spark sees too.
    const { base, glob } = splitGlob(fileURLToPath(train));
    return { kind: "local", base, glob };
  }
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(train)?.[1] ?? "";
  return { kind: "unlisted", reason: `mlship cannot list ${scheme ? `${scheme}:// ` : ""}data (only local paths and s3://)` };
}

// Spark's file index skips these names (InMemoryFileIndex.shouldFilterOutPathName): _SUCCESS, .crc files, copies.
export const sparkSkips = (name: string): boolean =>
  (name.startsWith("_") && !name.includes("=")) || name.startsWith(".") || name.endsWith("._COPYING_");

// A Hadoop glob segment pattern (*, ?, [abc], [^a], {a,b}, \x) as an anchored regular expression.
export function globRegExp(glob: string): RegExp {
  let out = "";
  let braces = 0;
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === "\\" && i + 1 < glob.length) out += escape(glob[++i]!);
    else if (c === "*") out += "[^/]*";
    else if (c === "?") out += "[^/]";
    else if (c === "[") {
      const end = glob.indexOf("]", i + 1);
      if (end < 0) out += "\\[";
      else {
        const body = glob.slice(i + 1, end);
        out += `[${body.startsWith("^") ? `^/${body.slice(1).replace(/\\/g, "\\\\")}` : body.replace(/\\/g, "\\\\")}]`;
        i = end;
      }
    } else if (c === "{") (braces++, (out += "(?:"));
    else if (c === "}" && braces > 0) (braces--, (out += ")"));
    else if (c === "," && braces > 0) out += "|";
    else out += escape(c);
  }
  return new RegExp(`^${out}$`);
}

const escape = (c: string) => c.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");

// Whether a file at `relative` (below the base) is read when Spark loads base/glob: the first segments match the
// glob (a matched directory is read whole), and no segment is one Spark skips.
export function sparkReadsFile(relative: string, glob: string | null): boolean {
  const parts = relative.split("/");
  if (parts.some(sparkSkips)) return false;
  if (glob === null) return true;
  const depth = glob.split("/").length;
  return parts.length >= depth && globRegExp(glob).test(parts.slice(0, depth).join("/"));
}
