// The located value tree: the spec's YAML values, each remembering the file:line:col it came from.
import type { SpecProblem } from "../errors.js";

export interface Loc {
  file: string;
  line: number; // 1-based; 0 when the value has no place in a file (--set)
  col: number;
}

export type ScalarValue = string | number | boolean | null;

export interface ScalarNode {
  kind: "scalar";
  loc: Loc;
  value: ScalarValue;
  style: "plain" | "quoted" | "block";
  raw?: string; // the text to fall back to when the schema wants a string (whole-scalar ${VAR}, --set)
  tagged?: boolean; // written with the !secret tag
  secrets?: string[]; // secret env values interpolated into this scalar
  unresolved?: boolean; // interpolation failed; already reported, so the schema stays quiet about it
}

export interface MapEntry {
  keyLoc: Loc;
  value: Node;
}

export interface MapNode {
  kind: "map";
  loc: Loc;
  entries: Map<string, MapEntry>;
}

export interface SeqNode {
  kind: "seq";
  loc: Loc;
  items: Node[];
}

export type Node = ScalarNode | MapNode | SeqNode;
export type PathSeg = string | number;

// The dotted form of a path, as users write it in --set (record keys stay whole).
export function formatPath(path: readonly PathSeg[]): string {
  return path.map(String).join(".");
}

// A problem at a location.
export function problemAt(loc: Loc, path: readonly PathSeg[] | string, message: string): SpecProblem {
  const p = typeof path === "string" ? path : formatPath(path);
  return { file: loc.file, line: loc.line, col: loc.col, path: p, message };
}

// The plain JavaScript value of a node, as the zod schema sees it.
export function toPlain(node: Node): unknown {
  switch (node.kind) {
    case "scalar":
      return node.value;
    case "seq":
      return node.items.map(toPlain);
    case "map":
      // fromEntries defines own properties, so a "__proto__" key stays a plain key
      return Object.fromEntries([...node.entries].map(([k, e]) => [k, toPlain(e.value)]));
  }
}

// The node at a path, or undefined when the path leaves the tree.
export function nodeAt(root: Node, path: readonly PathSeg[]): Node | undefined {
  let cur: Node | undefined = root;
  for (const seg of path) {
    if (!cur) return undefined;
    if (cur.kind === "map") cur = cur.entries.get(String(seg))?.value;
    else if (cur.kind === "seq" && typeof seg === "number") cur = cur.items[seg];
    else return undefined;
  }
  return cur;
}

// The scalar at a path, if that is what is there.
export function scalarAt(root: Node, path: readonly PathSeg[]): ScalarNode | undefined {
  const n = nodeAt(root, path);
  return n?.kind === "scalar" ? n : undefined;
}

// The map at a path, if that is what is there.
export function mapAt(root: Node, path: readonly PathSeg[]): MapNode | undefined {
  const n = nodeAt(root, path);
  return n?.kind === "map" ? n : undefined;
}

// Where to point for a path: a map value's key, a list item, or (when the path leaves the
// tree, e.g. a missing field) the nearest existing ancestor's own location.
export function locAt(root: Node, path: readonly PathSeg[]): Loc {
  let cur: Node = root;
  let loc = root.loc;
  for (const seg of path) {
    if (cur.kind === "map") {
      const entry = cur.entries.get(String(seg));
      if (!entry) return loc;
      cur = entry.value;
      loc = entry.keyLoc;
    } else if (cur.kind === "seq" && typeof seg === "number" && cur.items[seg]) {
      cur = cur.items[seg];
      loc = cur.loc;
    } else return loc;
  }
  return loc;
}

// The location of the key of the last path segment, when it names a map entry.
export function keyLocAt(root: Node, path: readonly PathSeg[]): Loc | undefined {
  const parent = nodeAt(root, path.slice(0, -1));
  const last = path[path.length - 1];
  if (parent?.kind !== "map" || last === undefined) return undefined;
  return parent.entries.get(String(last))?.keyLoc;
}

// True when the node carries a secret (tagged !secret or built from a secret env variable).
export function isSecret(node: Node | undefined): boolean {
  return node?.kind === "scalar" && (node.tagged === true || (node.secrets?.length ?? 0) > 0);
}

// Calls fn for every scalar below node, with its path.
export function eachScalar(node: Node, path: PathSeg[], fn: (n: ScalarNode, path: PathSeg[]) => void): void {
  if (node.kind === "scalar") fn(node, path);
  else if (node.kind === "seq") node.items.forEach((item, i) => eachScalar(item, [...path, i], fn));
  else for (const [k, e] of node.entries) eachScalar(e.value, [...path, k], fn);
}
