// Listing local inputs, and keeping a version's consumed files in its lineage: inline, or a checksummed artifact.
import { describe, expect, it } from "vitest";
import { mkdirSync, symlinkSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { consumedSummary, INLINE_INPUT_FILES, ledgerFields, lineageChain, listInputFiles, loadConsumedFiles, readDriverReport, type InputFile } from "../../src/ledger/index.js";
import { LocalStore } from "../../src/store/index.js";
import { versionRecordSchema } from "../../src/records/schemas.js";
import type { Lineage } from "../../src/registry/index.js";
import { tempDir } from "../helpers/tmp.js";

const work = tempDir("mlship-ledger-");

describe("listInputFiles on local data", () => {
  const data = join(work, "data");
  mkdirSync(join(data, "day=2026-12-01"), { recursive: true });
  mkdirSync(join(data, "day=2026-12-02"), { recursive: true });
  mkdirSync(join(data, "_temporary", "0"), { recursive: true });
  writeFileSync(join(data, "day=2026-12-01", "part-0.parquet"), "abc");
  writeFileSync(join(data, "day=2026-12-02", "part-0.parquet"), "abcdef");
  writeFileSync(join(data, "day=2026-12-02", ".part-0.parquet.crc"), "x");
  writeFileSync(join(data, "_SUCCESS"), "");
  writeFileSync(join(data, "_temporary", "0", "part-9.parquet"), "x");
  utimesSync(join(data, "day=2026-12-01", "part-0.parquet"), new Date("2026-12-01T10:00:00Z"), new Date("2026-12-01T10:00:00Z"));
  const uri = (p: string) => pathToFileURL(p).href;

  it("lists a folder recursively as Spark reads it, sorted, with size and mtime", async () => {
    const listing = await listInputFiles(uri(data), {});
    expect(listing).toEqual({
      ok: true,
      files: [
        { path: `file://${data}/day=2026-12-01/part-0.parquet`, size: 3, mtime: "2026-12-01T10:00:00.000Z" },
        { path: `file://${data}/day=2026-12-02/part-0.parquet`, size: 6, mtime: expect.any(String) },
      ],
    });
  });
  it("lists one file, a glob, and nothing for a missing path", async () => {
    const one = await listInputFiles(uri(join(data, "day=2026-12-02", "part-0.parquet")), {});
    expect(one.ok && one.files.map((f) => f.size)).toEqual([6]);
    const glob = await listInputFiles(`${uri(data)}/day=*-01`, {});
    expect(glob.ok && glob.files.map((f) => f.path)).toEqual([`file://${data}/day=2026-12-01/part-0.parquet`]);
    expect(await listInputFiles(uri(join(work, "nowhere")), {})).toEqual({ ok: true, files: [] });
  });
  it("follows a symbolic link to a folder, as Hadoop's local filesystem does, and skips a dangling one", async () => {
    const elsewhere = join(work, "elsewhere");
    mkdirSync(join(elsewhere, "day=2026-12-03"), { recursive: true });
    writeFileSync(join(elsewhere, "day=2026-12-03", "part-0.parquet"), "abcd");
    const linked = join(work, "linked");
    mkdirSync(linked);
    symlinkSync(join(elsewhere, "day=2026-12-03"), join(linked, "day=2026-12-03"));
    symlinkSync(join(work, "nothing-here"), join(linked, "dangling"));
    const listing = await listInputFiles(uri(linked), {});
    expect(listing.ok && listing.files.map((f) => [f.path, f.size])).toEqual([[`file://${linked}/day=2026-12-03/part-0.parquet`, 4]]);
  });
  it("gives a reason instead of a list for a scheme it cannot list", async () => {
    expect(await listInputFiles("gs://bucket/data", {})).toEqual({ ok: false, reason: "mlship cannot list gs:// data (only local paths and s3://)" });
  });
});

describe("the lineage fields", () => {
  const files = (n: number): InputFile[] => Array.from({ length: n }, (_, i) => ({ path: `s3://b/data/part-${String(i).padStart(5, "0")}`, size: 2, etag: `e${i}` }));

  it("keeps up to INLINE_INPUT_FILES files inline", () => {
    const { fields, artifact } = ledgerFields(files(INLINE_INPUT_FILES), "runs/j/r");
    expect(artifact).toBeNull();
    expect(fields.inputFiles).toHaveLength(INLINE_INPUT_FILES);
    expect(consumedSummary({ ...base, ...fields })).toEqual({ files: INLINE_INPUT_FILES, bytes: 2 * INLINE_INPUT_FILES });
  });

  it("moves a longer list to runs/<job>/<run>/input-files.json, loaded back only when its sha256 matches", async () => {
    const store = new LocalStore(join(work, "store"));
    const { fields, artifact } = ledgerFields(files(INLINE_INPUT_FILES + 1), "runs/j/r");
    expect(fields.inputFiles).toBeUndefined();
    expect(fields.inputFilesRef).toMatchObject({ key: "runs/j/r/input-files.json", files: INLINE_INPUT_FILES + 1, bytes: 2 * (INLINE_INPUT_FILES + 1) });
    await store.put(artifact!.key, artifact!.body);
    const lineage = { ...base, ...fields };
    expect(consumedSummary(lineage)).toEqual({ files: INLINE_INPUT_FILES + 1, bytes: 2 * (INLINE_INPUT_FILES + 1) });
    expect(await loadConsumedFiles(store, lineage)).toEqual(files(INLINE_INPUT_FILES + 1));
    await store.put(artifact!.key, artifact!.body.replace("part-00000", "part-0000X"));
    await expect(loadConsumedFiles(store, lineage)).rejects.toThrow(/does not match its recorded sha256/);
  });

  it("a version recorded before the ledger still loads, and has no consumed files", async () => {
    const record = { model: "m", version: 1, createdAt: "x", algorithm: "a", task: "t", artifacts: { store: "s", prefix: "runs/j/r/model", manifestSha256: "x", files: 1, bytes: 1 }, metrics: {}, parity: { rows: 1, maxAbsDiff: 0, tolerance: 1e-9, labelMismatches: 0, passed: true }, lineage: base };
    expect(versionRecordSchema.safeParse(record).success).toBe(true);
    expect(versionRecordSchema.safeParse({ ...record, lineage: { ...base, inputFiles: [{ path: "p", size: -1 }] } }).success).toBe(false);
    expect(consumedSummary(base)).toBeNull();
    expect(await loadConsumedFiles(new LocalStore(join(work, "store")), base)).toBeNull();
  });

  it("lineageChain walks parentVersion to the root, oldest first, and stops on a cycle", async () => {
    const lineages = new Map<number, Lineage>([[1, { ...base, runId: "r1" }], [2, { ...base, runId: "r2", parentVersion: 1 }], [3, { ...base, runId: "r3", parentVersion: 2 }]]);
    expect((await lineageChain(3, async (v) => lineages.get(v) ?? null)).map((l) => l.runId)).toEqual(["r1", "r2", "r3"]);
    lineages.set(1, { ...base, runId: "r1", parentVersion: 3 });
    expect((await lineageChain(3, async (v) => lineages.get(v) ?? null)).map((l) => l.runId)).toEqual(["r1", "r2", "r3"]);
  });
});

describe("readDriverReport", () => {
  const store = new LocalStore(join(work, "reports"));
  it("normalises the driver's paths and keeps the watermark", async () => {
    await store.put("runs/j/r1/read-files.json", JSON.stringify({ files: ["file:/d/b.csv", "file:/d/a.csv", "file:///d/a.csv"], watermark: { column: "day", value: "2026-12-02" } }));
    expect(await readDriverReport(store, "runs/j/r1")).toEqual({ ok: true, report: { files: ["file:///d/a.csv", "file:///d/b.csv"], watermark: { column: "day", value: "2026-12-02" } } });
  });
  it.each([
    ["missing", null, /wrote no read-files.json/],
    ["not JSON", "{", /not what mlship_train.py writes/],
    ["the wrong shape", JSON.stringify({ files: "a" }), /not what mlship_train.py writes/],
  ])("says why when the report is %s", async (_, body, reason) => {
    const run = `runs/j/bad-${Math.random().toString(16).slice(2)}`;
    if (body !== null) await store.put(`${run}/read-files.json`, body);
    const got = await readDriverReport(store, run);
    expect(got.ok).toBe(false);
    expect(!got.ok && got.reason).toMatch(reason);
  });
});

const base: Lineage = { runId: "r", job: "j", specFile: "s.yaml", specSha256: "x", gitCommit: null, data: { train: "file:///d", format: "csv" }, parentVersion: null };
