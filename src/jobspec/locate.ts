// Where a dotted spec path (as plan problems name fields) points in the located tree.
import type { Loc, Node } from "./tree.js";

// The key (or list item) a dotted path names, or its nearest existing ancestor. Map keys may hold dots
// themselves (spark.conf.spark.eventLog.dir, data.options.fs.s3a.key), so the longest key that matches wins.
export function locateDotted(root: Node, dotted: string): Loc {
  const segs = dotted === "" ? [] : dotted.split(".");
  let node: Node = root;
  let loc = root.loc;
  let i = 0;
  while (i < segs.length) {
    if (node.kind === "map") {
      const entries = node.entries;
      let step = 0;
      for (let n = segs.length - i; n >= 1 && step === 0; n--) {
        const entry = entries.get(segs.slice(i, i + n).join("."));
        if (entry) {
          node = entry.value;
          loc = entry.keyLoc;
          step = n;
        }
      }
      if (step === 0) return loc;
      i += step;
    } else if (node.kind === "seq" && /^\d+$/.test(segs[i] ?? "") && node.items[Number(segs[i])]) {
      node = node.items[Number(segs[i])]!;
      loc = node.loc;
      i += 1;
    } else return loc;
  }
  return loc;
}
