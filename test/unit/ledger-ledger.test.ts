// The ledger's pure decisions: consumed set of a chain, new vs unchanged vs rewritten, run listings, driver paths.
import { describe, expect, it } from "vitest";
import { compareRunListings, compareWithDriver, consumedSet, diffListing, normaliseDriverPath, overlapRefusal, sortedByPath, type InputFile } from "../../src/ledger/index.js";

const local = (name: string, size = 10, mtime = "2026-12-01T00:00:00.000Z"): InputFile => ({ path: `file:///data/${name}`, size, mtime });
const s3 = (name: string, size = 10, etag = "e1"): InputFile => ({ path: `s3://bucket/data/${name}`, size, etag });

describe("consumedSet", () => {
  it("unions a chain's lists by path, a later version's entry winning", () => {
    const set = consumedSet([[local("a"), local("b")], [local("c")], [local("a", 10, "2026-12-02T00:00:00.000Z")]]);
    expect([...set.keys()].sort()).toEqual(["file:///data/a", "file:///data/b", "file:///data/c"]);
    expect(set.get("file:///data/a")?.mtime).toBe("2026-12-02T00:00:00.000Z");
  });
  it("is empty for an empty chain", () => expect(consumedSet([]).size).toBe(0));
});

describe("diffListing", () => {
  const consumed = consumedSet([[local("a"), local("b"), s3("x")]]);
  it("new = listed − consumed; consumed files unchanged are not new", () => {
    const d = diffListing([local("a"), local("b"), local("c"), s3("x"), s3("y")], consumed);
    expect(d.fresh.map((f) => f.path)).toEqual(["file:///data/c", "s3://bucket/data/y"]);
    expect(d.unchanged.map((f) => f.path)).toEqual(["file:///data/a", "file:///data/b", "s3://bucket/data/x"]);
    expect(d.changed).toEqual([]);
  });
  it.each([
    ["a local file grew", local("a", 11), "file:///data/a"],
    ["a local file was touched", local("b", 10, "2026-12-03T00:00:00.000Z"), "file:///data/b"],
    ["an S3 object was rewritten with the same size", s3("x", 10, "e2"), "s3://bucket/data/x"],
  ])("reports a consumed path whose content changed: %s", (_, now, path) => {
    const d = diffListing([now], consumed);
    expect(d.fresh).toEqual([]);
    expect(d.changed).toEqual([{ path, before: consumed.get(path), now }]);
  });
  it("a consumed file that is gone is neither new nor changed", () => {
    expect(diffListing([], consumed)).toEqual({ fresh: [], unchanged: [], changed: [] });
  });
});

describe("overlapRefusal", () => {
  it("is null when nothing consumed changed", () => expect(overlapRefusal([])).toBeNull());
  it("says why, names each file with its old and new state, and caps the list", () => {
    const changed = Array.from({ length: 7 }, (_, i) => ({ path: `s3://b/k${i}`, before: s3(`k${i}`), now: s3(`k${i}`, 12, "e9") }));
    const r = overlapRefusal(changed)!;
    expect(r.message).toMatch(/^7 input files were already consumed and changed since; their rows would be counted twice/);
    expect(r.details).toHaveLength(6);
    expect(r.details[0]).toBe("s3://b/k0: 10 bytes, ETag e1 when consumed, 12 bytes, ETag e9 now");
    expect(r.details[5]).toBe("… and 2 more");
    expect(overlapRefusal([{ path: "file:///data/a", before: local("a"), now: local("a", 11) }])!.message).toMatch(/^1 input file was already/);
  });
});

describe("compareRunListings", () => {
  it("finds files added, removed and rewritten between two listings", () => {
    const before = [local("a"), local("b"), local("c")];
    const after = [local("a"), local("c", 99), local("d")];
    const r = compareRunListings(before, after);
    expect(r.added).toEqual(["file:///data/d"]);
    expect(r.removed).toEqual(["file:///data/b"]);
    expect(r.changed.map((c) => c.path)).toEqual(["file:///data/c"]);
    expect(compareRunListings(before, [...before].reverse())).toEqual({ added: [], removed: [], changed: [] });
  });
});

describe("the driver's report", () => {
  it.each([
    ["file:/data/part-0.parquet", "file:///data/part-0.parquet"],
    ["file:///data/part-0.parquet", "file:///data/part-0.parquet"],
    ["file://localhost/data/a%20b/day=2026-12-01/p.csv", "file:///data/a b/day=2026-12-01/p.csv"],
    ["s3a://bucket/data/x.parquet", "s3://bucket/data/x.parquet"],
    ["s3://bucket/data/x%2By.parquet", "s3://bucket/data/x+y.parquet"],
    ["hdfs://nn/data/x", "hdfs://nn/data/x"],
  ])("normalises %s", (from, to) => expect(normaliseDriverPath(from)).toBe(to));
  it("compares the driver's paths with the listing both ways", () => {
    expect(compareWithDriver([local("a"), local("b")], ["file:///data/b", "file:///data/a"])).toEqual({ unlisted: [], unread: [] });
    expect(compareWithDriver([local("a"), local("b")], ["file:///data/a", "file:///data/z"])).toEqual({ unlisted: ["file:///data/z"], unread: ["file:///data/b"] });
  });
});

it("sortedByPath orders by path without changing the entries", () => {
  expect(sortedByPath([local("b"), local("a")]).map((f) => f.path)).toEqual(["file:///data/a", "file:///data/b"]);
});
