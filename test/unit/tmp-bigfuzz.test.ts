import { it } from "vitest";
import { tableFromIPC } from "apache-arrow";
import { checkArrowIpc } from "../../src/arrow-guard/index.js";
import { mutatedCorpus } from "../helpers/arrow-corpus.js";
it("big", () => {
  let bad = 0, passed = 0, total = 0;
  for (let seed = 100; seed < 112; seed++) {
    for (const c of mutatedCorpus(seed, 2000)) {
      total++;
      const v = checkArrowIpc(c.body, { maxRows: 1_000_000 });
      if (!v.ok) continue;
      passed++;
      try {
        const t = tableFromIPC(c.body);
        if (t.numRows !== v.rows) throw new Error(`rows ${t.numRows} vs ${v.rows}`);
        for (const f of t.schema.fields) { const col = t.getChild(f.name)!; if (col.length !== t.numRows) throw new Error("len"); for (let i = 0; i < col.length; i++) col.get(i); }
      } catch (e) { if (bad++ < 15) console.log("DIVERGE", seed, c.name, (e as Error).message); }
    }
  }
  console.log("total", total, "passed", passed, "bad", bad);
}, 600_000);
