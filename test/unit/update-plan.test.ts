// The update planner: nothing new, new files, watermark predicates, overlap refusals, and the idempotency key.
import { describe, expect, it } from "vitest";
import type { InputFile, Listing } from "../../src/ledger/index.js";
import { aboveWatermark, chainWatermark, partitionValue, planUpdate, retriedChild, updateKey, type ChainVersion, type PlanInput } from "../../src/update/index.js";

const T0 = "2026-12-01T00:00:00.000Z";
// Each name its own modification time (distinct files are not written in the same millisecond at the same size).
const stamp = (name: string) => new Date(Date.parse(T0) + [...name].reduce((h, c) => h * 31 + c.charCodeAt(0), 7) % 86_400_000).toISOString();
const f = (name: string, size = 10, mtime = stamp(name)): InputFile => ({ path: `file:///data/churn/${name}`, size, mtime });
const s3 = (name: string, size = 10, etag = `etag-${name}`): InputFile => ({ path: `s3://b/churn/${name}`, size, etag });
const listed = (...files: InputFile[]): Listing => ({ ok: true, files });
const SPEC = "a".repeat(64);

// A chain of three versions: v1 trained on a, v2 updated with b, v3 updated with c.
const CHAIN: ChainVersion[] = [
  { version: 1, files: [f("a")] },
  { version: 2, files: [f("b")] },
  { version: 3, files: [f("c")] },
];
const plan = (over: Partial<PlanInput>) => planUpdate({ model: "churn", chain: CHAIN, listed: listed(f("a"), f("b"), f("c")), specSha256: SPEC, ...over });

describe("planUpdate, file sources", () => {
  it("nothing new: every listed file was consumed by the chain, unchanged", () => {
    expect(plan({})).toEqual({ kind: "nothing-new", parent: "churn@3", message: "nothing new since churn@3" });
  });

  it("new: the files no version of a three-version chain consumed", () => {
    const p = plan({ listed: listed(f("a"), f("b"), f("c"), f("d"), f("e")) });
    expect(p).toMatchObject({ kind: "new", parent: "churn@3", files: [f("d"), f("e")], predicate: null, listingTells: true });
  });

  it("a consumed file that disappeared is not an error", () => {
    expect(plan({ listed: listed(f("c"), f("d")) })).toMatchObject({ kind: "new", files: [f("d")] });
  });

  it.each([
    ["grew", f("b", 11)],
    ["was touched", f("b", 10, "2026-12-05T00:00:00.000Z")],
  ])("overlap: a file v2 consumed %s since", (_, now) => {
    const p = plan({ listed: listed(f("a"), now, f("c"), f("d")) });
    expect(p.kind).toBe("overlap");
    if (p.kind !== "overlap") return;
    expect(p.details).toEqual([`file:///data/churn/b: 10 bytes, modified ${stamp("b")} when consumed, ${now.size} bytes, modified ${now.mtime} now`]);
  });

  it("overlap: a consumed file moved to a new name (same size and mtime, old path gone) is named with what it repeats", () => {
    const moved = { ...f("b"), path: "file:///data/churn/b-renamed" };
    const p = plan({ listed: listed(f("a"), moved, f("c")) });
    expect(p).toMatchObject({ kind: "overlap", details: ["file:///data/churn/b-renamed: the same size and modification time as consumed file:///data/churn/b"] });
    expect(p.kind === "overlap" && p.message).toContain("a consumed file under another name");
  });

  it("a new file with a consumed file's size and mtime while that file is still listed is new (a copy keeps neither; only a move keeps both)", () => {
    const twin = { ...f("b"), path: "file:///data/churn/b2" };
    expect(plan({ listed: listed(f("a"), f("b"), twin, f("c")) })).toMatchObject({ kind: "new", files: [twin] });
  });

  it("overlap: an S3 object with a consumed object's ETag and size (copied or moved) repeats it", () => {
    const chain = [{ version: 1, files: [s3("a")] }];
    const copy = { ...s3("a"), path: "s3://b/churn/a-copy" };
    expect(plan({ chain, listed: listed(s3("a"), copy) })).toMatchObject({ kind: "overlap", details: ["s3://b/churn/a-copy: the same size and ETag as consumed s3://b/churn/a"] });
  });

  it("an S3 object rewritten in place (new ETag) is overlap", () => {
    const chain = [{ version: 1, files: [s3("a")] }];
    expect(plan({ chain, listed: listed(s3("a", 10, "e2"), s3("b")) }).kind).toBe("overlap");
    expect(plan({ chain, listed: listed(s3("a"), s3("b")) })).toMatchObject({ kind: "new", files: [s3("b")] });
  });

  it("refuses when a version of the chain has no ledger", () => {
    const p = plan({ chain: [{ version: 1, files: null }, ...CHAIN.slice(1)] });
    expect(p).toMatchObject({ kind: "refused", parent: "churn@3" });
    if (p.kind === "refused") expect(p.message).toContain("churn@1 has no input ledger");
  });

  it("refuses a source it cannot list", () => {
    const p = plan({ listed: { ok: false, reason: "mlship cannot list hdfs:// data (only local paths and s3://)" } });
    expect(p).toMatchObject({ kind: "refused" });
    if (p.kind === "refused") expect(p.message).toMatch(/^data\.train: mlship cannot list hdfs/);
  });

  it("throws on an empty chain (a caller bug)", () => expect(() => plan({ chain: [] })).toThrow(/chain is empty/));
});

describe("planUpdate, data.new", () => {
  it("takes exactly the files data.new names", () => {
    const p = plan({ listed: listed(f("a"), f("b"), f("c"), f("d"), f("e")), explicitNew: listed(f("e")) });
    expect(p).toMatchObject({ kind: "new", files: [f("e")], predicate: null, listingTells: true });
  });

  it("a glob that overlaps history is refused, naming each file and the version that consumed it", () => {
    const p = plan({ explicitNew: listed(f("b"), f("c"), f("d")) });
    expect(p).toMatchObject({ kind: "overlap", parent: "churn@3" });
    if (p.kind !== "overlap") return;
    expect(p.message).toContain("data.new names 2 files that churn@3's chain already consumed");
    expect(p.details).toEqual(["file:///data/churn/b: consumed by churn@2", "file:///data/churn/c: consumed by churn@3"]);
  });

  it("matching nothing is nothing new", () => expect(plan({ explicitNew: listed() }).kind).toBe("nothing-new"));

  it("still refuses a consumed file of data.train that was rewritten", () => {
    expect(plan({ listed: listed(f("a", 99), f("b"), f("c")), explicitNew: listed(f("d")) }).kind).toBe("overlap");
  });

  it("refuses when data.new cannot be listed", () => {
    expect(plan({ explicitNew: { ok: false, reason: "listing failed" } })).toMatchObject({ kind: "refused", message: "data.new: listing failed" });
  });

  it("wins over the watermark of a partitioned source", () => {
    const chain = [{ version: 1, files: [f("day=1/p.parquet")], watermark: { column: "day", value: 1 } }];
    const p = plan({ chain, partitionColumn: "day", listed: listed(f("day=1/p.parquet")), explicitNew: listed(f("late/x.parquet")) });
    expect(p).toMatchObject({ kind: "new", files: [f("late/x.parquet")], predicate: null });
  });
});

describe("planUpdate, partitioned sources", () => {
  const day = (d: string, part = "p0") => f(`day=2026-12-0${d}/${part}.parquet`);
  const chain: ChainVersion[] = [
    { version: 1, files: [day("1"), day("2")], watermark: { column: "day", value: "2026-12-02" } },
    { version: 2, files: [day("3")], watermark: { column: "day", value: "2026-12-03" } },
    { version: 3, files: [day("4")], watermark: { column: "day", value: "2026-12-04" } },
  ];
  const part = (over: Partial<PlanInput>) => plan({ chain, partitionColumn: "day", listed: listed(day("1"), day("2"), day("3"), day("4")), ...over });

  it("nothing new when no file was added", () => expect(part({}).kind).toBe("nothing-new"));

  it("new: the rows above the chain's watermark, and the files the listing proved hold them", () => {
    const p = part({ listed: listed(day("1"), day("2"), day("3"), day("4"), day("5"), day("6")) });
    expect(p).toMatchObject({ kind: "new", files: [day("5"), day("6")], predicate: { column: "day", value: "2026-12-04" }, listingTells: true });
  });

  it("a new file in a partition at or below the watermark (late data) is refused, named", () => {
    const p = part({ listed: listed(day("1"), day("2"), day("3"), day("4"), day("4", "p1"), day("5")) });
    expect(p).toMatchObject({ kind: "overlap", details: [day("4", "p1").path] });
    if (p.kind === "overlap") expect(p.message).toContain("at or below churn@3's watermark day = 2026-12-04");
  });

  it("leaves it to Spark when new files are not in day= folders", () => {
    const p = part({ listed: listed(day("1"), day("2"), day("3"), day("4"), f("extra.parquet")) });
    expect(p).toMatchObject({ kind: "new", files: [f("extra.parquet")], predicate: { column: "day", value: "2026-12-04" }, listingTells: false });
  });

  it("leaves it to Spark when the source cannot be listed", () => {
    const p = part({ listed: { ok: false, reason: "hdfs" } });
    expect(p).toMatchObject({ kind: "new", files: [], predicate: { column: "day", value: "2026-12-04" }, listingTells: false });
  });

  it("refuses a rewritten consumed file, a chain without watermark, and another column", () => {
    expect(part({ listed: listed(day("1"), day("2", "p0"), day("3"), { ...day("4"), size: 5 }) }).kind).toBe("overlap");
    expect(part({ chain: chain.map(({ watermark: _, ...v }) => v) }).kind).toBe("refused");
    const other = part({ partitionColumn: "hour" });
    expect(other.kind).toBe("refused");
    if (other.kind === "refused") expect(other.message).toContain(`watermark is of "day"`);
  });

  it("compares numeric partitions as numbers", () => {
    const numeric: ChainVersion[] = [{ version: 1, files: [f("n=9/p.parquet")], watermark: { column: "n", value: 9 } }];
    const p = plan({ chain: numeric, partitionColumn: "n", listed: listed(f("n=9/p.parquet"), f("n=10/p.parquet")) });
    expect(p).toMatchObject({ kind: "new", files: [f("n=10/p.parquet")], predicate: { column: "n", value: 9 }, listingTells: true });
  });
});

describe("partition values and watermarks", () => {
  it("reads the column's folder, percent-decoded, and nothing else", () => {
    expect(partitionValue("s3://b/t/region=eu/day=2026-12-01/p.parquet", "day")).toBe("2026-12-01");
    expect(partitionValue("file:///t/ts=2026-12-01 10%3A00%3A00/p.parquet", "ts")).toBe("2026-12-01 10:00:00");
    expect(partitionValue("file:///t/day=1.parquet", "day")).toBeNull(); // a file name, not a folder
    expect(partitionValue("file:///t/p.parquet", "day")).toBeNull();
  });

  it.each([
    ["10", 9, true],
    ["9", 9, false],
    ["x", 9, null],
    ["2026-12-05", "2026-12-04", true],
    ["2026-12-04", "2026-12-04", false],
    ["2026-12-05 00:00:00", "2026-12-04T00:00:00.000Z", null],
    ["__HIVE_DEFAULT_PARTITION__", "2026-12-04", false],
    ["true", true, null],
  ] as const)("%s above %s: %s", (folder, mark, want) => expect(aboveWatermark(folder, mark)).toBe(want));

  it("the chain's watermark is the highest recorded", () => {
    expect(chainWatermark([undefined, { column: "n", value: 10 }, { column: "n", value: 9 }])).toEqual({ column: "n", value: 10 });
    expect(chainWatermark([{ column: "n", value: null }, { column: "n", value: 3 }])).toEqual({ column: "n", value: 3 });
    expect(chainWatermark([undefined])).toBeNull();
  });
});

describe("the idempotency key", () => {
  const base = { model: "churn", parentVersion: 3, files: [f("d"), f("e")], predicate: null, specSha256: SPEC };

  it("is the plan's key, the same for a retried run and for any listing order", () => {
    const p = plan({ listed: listed(f("e"), f("d"), f("a")) });
    expect(p.kind === "new" && p.key).toBe(updateKey(base));
    expect(updateKey({ ...base, files: [f("e"), f("d")] })).toBe(updateKey(base));
    expect(updateKey(base)).toMatch(/^[0-9a-f]{64}$/);
  });

  it.each([
    ["another parent", { parentVersion: 2 }],
    ["another model", { model: "churn2" }],
    ["a file rewritten", { files: [f("d", 11), f("e")] }],
    ["an S3 ETag instead of an mtime", { files: [{ path: f("d").path, size: 10, etag: T0 }, f("e")] }],
    ["another spec", { specSha256: "b".repeat(64) }],
    ["a watermark predicate", { predicate: { column: "day", value: "2026-12-04" } }],
  ])("changes with %s", (_, over) => expect(updateKey({ ...base, ...over })).not.toBe(updateKey(base)));

  it("finds the child a retried update already registered", () => {
    const key = updateKey(base);
    const versions = [
      { version: 3, lineage: { parentVersion: 2 } },
      { version: 4, lineage: { parentVersion: 3, updateKey: key } },
      { version: 5, lineage: { parentVersion: 1, updateKey: key } }, // same key under another parent: not it
    ];
    expect(retriedChild(versions, 3, key)).toBe(4);
    expect(retriedChild(versions, 3, updateKey({ ...base, files: [f("x")] }))).toBeNull();
  });
});
