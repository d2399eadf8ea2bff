// The train run's ledger step: the driver's report against the listing made before launch, and a second listing.
import { describe, expect, it } from "vitest";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { listInputFiles } from "../../src/ledger/index.js";
import { settleInputLedger } from "../../src/runs/input-ledger.js";
import { LocalStore } from "../../src/store/index.js";
import { tempDir } from "../helpers/tmp.js";

const work = tempDir("mlship-run-ledger-");
let n = 0;

// A data folder with two files, a store, and the run folder's driver report (null: none written).
async function setup(report: ((data: string) => unknown) | null) {
  const data = join(work, `data-${++n}`);
  mkdirSync(data);
  writeFileSync(join(data, "a.csv"), "x,y\n1,2\n");
  writeFileSync(join(data, "b.csv"), "x,y\n3,4\n");
  const store = new LocalStore(join(work, `store-${n}`));
  const runPrefix = "runs/job/r1";
  if (report) await store.put(`${runPrefix}/read-files.json`, JSON.stringify(report(data)));
  const train = pathToFileURL(data).href;
  return { data, store, runPrefix, train, before: await listInputFiles(train, {}) };
}

const read = (data: string, names = ["a.csv", "b.csv"]) => ({ files: names.map((f) => `file:${data}/${f}`), watermark: { column: "day", value: 20261202 } });

describe("settleInputLedger", () => {
  it("records the files Spark read, inline, with the driver's watermark", async () => {
    const s = await setup((d) => read(d));
    const out = await settleInputLedger({ ...s, env: {} });
    expect(out).toEqual({
      ok: true,
      warnings: [],
      lineage: {
        inputFiles: [
          { path: `file://${s.data}/a.csv`, size: 8, mtime: expect.any(String) },
          { path: `file://${s.data}/b.csv`, size: 8, mtime: expect.any(String) },
        ],
        watermark: { column: "day", value: 20261202 },
      },
    });
  });

  it("without a driver report (a custom entrypoint) records the listing and warns", async () => {
    const s = await setup(null);
    const out = await settleInputLedger({ ...s, env: {} });
    expect(out.ok && out.lineage.inputFiles).toHaveLength(2);
    expect(out.ok && out.warnings).toEqual(["the Spark job wrote no read-files.json; the ledger records the files listed before launch"]);
  });

  it("refuses when Spark read other files than were listed", async () => {
    const s = await setup((d) => read(d, ["a.csv", "c.csv"]));
    const out = await settleInputLedger({ ...s, env: {} });
    expect(out).toEqual({
      ok: false,
      message: "Spark read a different set of files than mlship listed for data.train; the ledger would be wrong",
      details: [`read but not listed: file://${s.data}/c.csv`, `listed but not read: file://${s.data}/b.csv`],
    });
  });

  it("refuses when a file was added or rewritten during the run", async () => {
    const s = await setup((d) => read(d));
    writeFileSync(join(s.data, "b.csv"), "x,y\n3,4\n5,6\n");
    writeFileSync(join(s.data, "c.csv"), "x,y\n");
    const out = await settleInputLedger({ ...s, env: {} });
    expect(out.ok).toBe(false);
    expect(!out.ok && out.message).toMatch(/^the input files changed while Spark was reading them/);
    expect(!out.ok && out.details).toEqual([`added: file://${s.data}/c.csv`, `rewritten: file://${s.data}/b.csv`]);
  });

  it("when the data could not be listed, records no files but still the watermark, and warns", async () => {
    const s = await setup((d) => read(d));
    const out = await settleInputLedger({ ...s, env: {}, train: "hdfs://nn/data", before: await listInputFiles("hdfs://nn/data", {}) });
    expect(out).toEqual({ ok: true, lineage: { watermark: { column: "day", value: 20261202 } }, warnings: ["the input files were not recorded: mlship cannot list hdfs:// data (only local paths and s3://)"] });
  });
});
