// --set dotted.path=value overrides, applied to the tree after profiles.
import type { z } from "zod";
import type { SpecProblem } from "../errors.js";
import { describeNode } from "./describe.js";
import { childSchema, kindOf } from "./schema-walk.js";
import { formatPath, problemAt, type Loc, type MapNode, type Node, type PathSeg } from "./tree.js";
import { parseValue } from "./yaml-parse.js";

// Values from --set have no place in a file.
export const SET_FILE = "--set";
export const SET_LOC: Loc = { file: SET_FILE, line: 0, col: 0 };

// Applies each `path=value` in order (later wins) to root, in place; returns the problems.
// Inside a record-typed field (spark.conf, model.params, ...) the rest of the path is one key,
// so `spark.conf.spark.sql.shuffle.partitions=8` sets the conf key "spark.sql.shuffle.partitions".
export function applySets(root: MapNode, sets: readonly string[], schema: z.ZodType): SpecProblem[] {
  const problems: SpecProblem[] = [];
  for (const set of sets) {
    const eq = set.indexOf("=");
    const rawPath = eq < 0 ? set : set.slice(0, eq);
    if (eq < 0 || rawPath.trim() === "") {
      problems.push(problemAt(SET_LOC, rawPath.trim(), `expected path=value, got ${JSON.stringify(set)}`));
      continue;
    }
    const path = splitPath(rawPath.trim(), schema);
    if (path.some((seg) => seg === "")) {
      problems.push(problemAt(SET_LOC, rawPath, `expected a dotted path like spark.executor.memory, got ${JSON.stringify(rawPath)}`));
      continue;
    }
    const parsed = parseValue(set.slice(eq + 1), SET_LOC);
    if (!parsed.node) {
      problems.push(problemAt(SET_LOC, path, `expected a YAML value, got ${JSON.stringify(set.slice(eq + 1))} (${parsed.error})`));
      continue;
    }
    const problem = setAt(root, path, parsed.node);
    if (problem) problems.push(problemAt(SET_LOC, path, problem));
  }
  return problems;
}

// Splits a dotted path, keeping the rest whole once it walks into a record-typed field.
export function splitPath(dotted: string, schema: z.ZodType): PathSeg[] {
  const parts = dotted.split(".");
  const path: PathSeg[] = [];
  let s: z.ZodType | undefined = schema;
  for (let i = 0; i < parts.length; i++) {
    if (s && kindOf(s) === "record") {
      path.push(parts.slice(i).join("."));
      break;
    }
    const part = parts[i] as string;
    const seg: PathSeg = s && kindOf(s) === "array" && /^\d+$/.test(part) ? Number(part) : part;
    path.push(seg);
    s = s ? childSchema(s, seg) : undefined;
  }
  return path;
}

// Sets value at path, creating maps on the way; returns a message when the path is blocked.
function setAt(root: MapNode, path: readonly PathSeg[], value: Node): string | undefined {
  let cur: Node = root;
  for (let i = 0; i < path.length; i++) {
    const seg = path[i] as PathSeg;
    const last = i === path.length - 1;
    if (cur.kind === "map") {
      const key = String(seg);
      if (last) {
        cur.entries.set(key, { keyLoc: SET_LOC, value });
        return undefined;
      }
      let next: Node | undefined = cur.entries.get(key)?.value;
      if (!next || (next.kind === "scalar" && next.value === null)) {
        next = { kind: "map", loc: SET_LOC, entries: new Map() };
        cur.entries.set(key, { keyLoc: SET_LOC, value: next });
      }
      cur = next;
    } else if (cur.kind === "seq") {
      const index = typeof seg === "number" ? seg : /^\d+$/.test(seg) ? Number(seg) : -1;
      if (index < 0 || index > cur.items.length) {
        return `expected a list index from 0 to ${cur.items.length} at ${formatPath(path.slice(0, i))}, got "${seg}"`;
      }
      if (last) {
        cur.items[index] = value;
        return undefined;
      }
      const next: Node | undefined = cur.items[index];
      if (!next) return `expected an existing list item at ${formatPath(path.slice(0, i + 1))}, got nothing`;
      cur = next;
    } else {
      return `expected a map at ${formatPath(path.slice(0, i))}, got ${describeNode(cur)}`;
    }
  }
  return undefined;
}
