// Where data.train points and which files under it Spark reads: URIs, globs and Spark's hidden-file rule.
import { describe, expect, it } from "vitest";
import { dataSource, globRegExp, sparkReadsFile, splitGlob } from "../../src/ledger/index.js";

describe("dataSource", () => {
  it.each([
    ["file:///data/churn", { kind: "local", base: "/data/churn", glob: null }],
    ["file:///data/churn/", { kind: "local", base: "/data/churn", glob: null }],
    ["file:///data/churn/*.parquet", { kind: "local", base: "/data/churn", glob: "*.parquet" }],
    ["file:///data/a%20b/day=*/x.csv", { kind: "local", base: "/data/a b", glob: "day=*/x.csv" }],
    ["s3://bucket/data/churn", { kind: "s3", bucket: "bucket", base: "data/churn", glob: null }],
    ["s3a://bucket/data/churn/", { kind: "s3", bucket: "bucket", base: "data/churn", glob: null }],
    ["s3a://bucket/data/{2026-11,2026-12}-*", { kind: "s3", bucket: "bucket", base: "data", glob: "{2026-11,2026-12}-*" }],
    ["s3://bucket/*.csv", { kind: "s3", bucket: "bucket", base: "", glob: "*.csv" }],
  ])("%s", (uri, source) => expect(dataSource(uri)).toEqual(source));
  it("does not list other schemes, and says so", () => {
    expect(dataSource("hdfs://nn:8020/data/churn")).toEqual({ kind: "unlisted", reason: "mlship cannot list hdfs:// data (only local paths and s3://)" });
  });
  it("splitGlob keeps the segments before the first glob character", () => {
    expect(splitGlob("/a/b/c")).toEqual({ base: "/a/b/c", glob: null });
    expect(splitGlob("/a/b?/c")).toEqual({ base: "/a", glob: "b?/c" });
  });
});

describe("globRegExp (Hadoop glob syntax)", () => {
  it.each([
    ["*.parquet", "part-0.parquet", true],
    ["*.parquet", "part-0.csv", false],
    ["*.parquet", "sub/part-0.parquet", false],
    ["part-?.csv", "part-1.csv", true],
    ["part-?.csv", "part-10.csv", false],
    ["day=2026-12-0[1-3]", "day=2026-12-02", true],
    ["day=2026-12-0[^1-3]", "day=2026-12-02", false],
    ["{a,b}*.csv", "b1.csv", true],
    ["{a,b}*.csv", "c1.csv", false],
    ["x.csv", "xxcsv", false],
    ["\\*.csv", "*.csv", true],
  ])("%s matches %s: %s", (glob, path, matches) => expect(globRegExp(glob).test(path)).toBe(matches));
});

describe("sparkReadsFile", () => {
  it.each([
    ["part-0.parquet", null, true],
    ["day=2026-12-01/part-0.parquet", null, true],
    ["_SUCCESS", null, false],
    [".part-0.parquet.crc", null, false],
    ["_temporary/0/part-0.parquet", null, false],
    ["_day=1/part-0.parquet", null, true], // a partition folder may start with "_"
    ["part-0.parquet._COPYING_", null, false],
    ["day=2026-12-01/part-0.parquet", "day=2026-12-0[12]", true], // a matched folder is read whole
    ["day=2026-12-03/part-0.parquet", "day=2026-12-0[12]", false],
    ["day=2026-12-01", "day=*/*.parquet", false],
  ])("%s under glob %s: %s", (rel, glob, read) => expect(sparkReadsFile(rel, glob)).toBe(read));
});
