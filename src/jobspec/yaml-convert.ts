// The yaml package's AST -> our located tree: aliases and `<<` merge keys resolved, tags checked.
import { type Document, isAlias, isMap, isScalar, isSeq, Scalar, type ScalarTag } from "yaml";
import type { SpecProblem } from "../errors.js";
import { formatPath, type Loc, type MapNode, type Node, type PathSeg, type ScalarNode } from "./tree.js";

// `!secret value`: a string scalar whose value mlship redacts wherever it is shown.
export const SECRET_TAG = "!secret";
export const secretTag: ScalarTag = { tag: SECRET_TAG, resolve: (str) => str, identify: () => false };

const CORE_TAG_PREFIX = "tag:yaml.org,2002:";
const MAX_NODES = 100_000; // aliases can expand a small file into a huge tree ("billion laughs")

// Walks the yaml AST into our tree, resolving aliases and `<<` merge keys.
export function convertDocument(doc: Document, locate: (offset: number) => Loc, problems: SpecProblem[]): Node {
  let budget = MAX_NODES;
  const fallback = locate(0);
  const at = (n: { range?: [number, number, number] | null } | null | undefined, dflt: Loc): Loc =>
    n?.range ? locate(n.range[0]) : dflt;

  let tooBig = false;
  const convert = (n: unknown, dflt: Loc, path: PathSeg[], depth: number): Node => {
    if (--budget < 0 || depth > 200) {
      if (!tooBig) problems.push({ ...dflt, path: formatPath(path), message: "expected a reasonably sized document, got one too large or too deeply nested (alias expansion?)" });
      tooBig = true;
      return { kind: "scalar", loc: dflt, value: null, style: "plain" };
    }
    if (isAlias(n)) {
      const target = n.resolve(doc);
      return convert(target, at(n, dflt), path, depth + 1);
    }
    if (isScalar(n)) return convertScalar(n, at(n, dflt), path);
    if (isSeq(n)) {
      const loc = at(n, dflt);
      checkCollectionTag(n.tag, loc, path, "a list");
      return { kind: "seq", loc, items: n.items.map((item, i) => convert(item, loc, [...path, i], depth + 1)) };
    }
    if (isMap(n)) {
      const loc = at(n, dflt);
      checkCollectionTag(n.tag, loc, path, "a map");
      const map: MapNode = { kind: "map", loc, entries: new Map() };
      const merges: Node[] = [];
      for (const pair of n.items) {
        const keyLoc = at(pair.key as { range?: [number, number, number] } | null, loc);
        if (!isScalar(pair.key) && pair.key !== null) {
          problems.push({ ...keyLoc, path: formatPath(path), message: "expected a plain key, got a complex key" });
          continue;
        }
        const key = isScalar(pair.key) ? String(pair.key.value) : "null";
        const value = convert(pair.value, keyLoc, [...path, key], depth + 1);
        if (key === "<<" && isScalar(pair.key) && pair.key.type === Scalar.PLAIN) merges.push(value);
        else map.entries.set(key, { keyLoc, value });
      }
      // `<<: *base` (or a list of them): keys written in this map win over merged ones
      for (const m of merges.flatMap((v) => (v.kind === "seq" ? v.items : [v]))) {
        if (m.kind !== "map") {
          problems.push({ ...m.loc, path: formatPath(path), message: "expected a map (or a list of maps) after <<, got something else" });
          continue;
        }
        for (const [k, e] of m.entries) if (!map.entries.has(k)) map.entries.set(k, e);
      }
      return map;
    }
    return { kind: "scalar", loc: dflt, value: null, style: "plain" };
  };

  const convertScalar = (n: Scalar, loc: Loc, path: PathSeg[]): ScalarNode => {
    const tag = n.tag;
    const style = n.type === Scalar.PLAIN || n.type === undefined ? "plain"
      : n.type === Scalar.BLOCK_FOLDED || n.type === Scalar.BLOCK_LITERAL ? "block" : "quoted";
    if (tag && tag !== SECRET_TAG && !tag.startsWith(CORE_TAG_PREFIX)) {
      problems.push({ ...loc, path: formatPath(path), message: `unknown tag ${tag} (mlship knows only ${SECRET_TAG})` });
    }
    const v = n.value;
    const value = v === null || v === undefined ? null
      : typeof v === "string" || typeof v === "number" || typeof v === "boolean" ? v
      : typeof v === "bigint" ? Number(v) : String(v);
    const node: ScalarNode = { kind: "scalar", loc, value, style };
    if (tag === SECRET_TAG) node.tagged = true;
    return node;
  };

  const checkCollectionTag = (tag: string | undefined, loc: Loc, path: PathSeg[], what: string): void => {
    if (!tag || tag.startsWith(CORE_TAG_PREFIX)) return;
    const message = tag === SECRET_TAG
      ? `the ${SECRET_TAG} tag applies to string values, got ${what}`
      : `unknown tag ${tag} (mlship knows only ${SECRET_TAG})`;
    problems.push({ ...loc, path: formatPath(path), message });
  };

  return convert(doc.contents, fallback, [], 0);
}
