// src/arrow-guard: valid Arrow streams and files of every supported type pass and decode to the rows checked;
// damaged ones are refused with a reason, in bounded time, before apache-arrow decodes anything.
import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import {
  Bool,
  DateDay,
  Dictionary,
  FixedSizeList,
  Field,
  Float32,
  Float64,
  Int16,
  Int64,
  Int8,
  LargeUtf8,
  List,
  Null,
  Struct,
  Table,
  TimestampMillisecond,
  Uint32,
  Utf8,
  makeData,
  makeVector,
  tableFromIPC,
  tableToIPC,
  vectorFromArray,
} from "apache-arrow";
import { checkArrowIpc } from "../../src/arrow-guard/index.js";
import { readTable } from "../../src/model/arrow.js";
import { HOSTILE_DIR, fixedCases, mutatedCorpus, quickstartTable, wideBody } from "../helpers/arrow-corpus.js";

const fixture = (name: string) => readFileSync(join(HOSTILE_DIR, name));

// The same bytes one byte into a larger buffer: the checker's unaligned (DataView) paths.
const shifted = (body: Uint8Array) => {
  const out = new Uint8Array(body.length + 1).subarray(1);
  out.set(body);
  return out;
};

// A table of many types, with nulls, nesting and a dictionary.
function manyTypes(rows: number): Table {
  const n = Array.from({ length: rows }, (_, i) => i);
  return new Table({
    bool: vectorFromArray(n.map((i) => (i % 3 === 0 ? null : i % 2 === 0)), new Bool()),
    i8: vectorFromArray(n.map((i) => (i % 4 === 0 ? null : i % 100)), new Int8()),
    i16: vectorFromArray(n.map((i) => i), new Int16()),
    u32: vectorFromArray(n.map((i) => i), new Uint32()),
    i64: vectorFromArray(n.map((i) => BigInt(i)), new Int64()),
    f32: vectorFromArray(n.map((i) => i / 2), new Float32()),
    f64: vectorFromArray(n.map((i) => (i % 5 === 0 ? null : i / 3)), new Float64()),
    utf8: vectorFromArray(n.map((i) => (i % 6 === 0 ? null : "x".repeat(i % 9))), new Utf8()),
    large: vectorFromArray(n.map((i) => `${i}`), new LargeUtf8()),
    dict: vectorFromArray(n.map((i) => (i % 7 === 0 ? null : ["a", "b", "c"][i % 3]!)), new Dictionary(new Utf8(), new Int16())),
    date: vectorFromArray(n.map((i) => new Date(86_400_000 * i)), new DateDay()),
    ts: vectorFromArray(n.map((i) => i * 1000), new TimestampMillisecond()),
    list: vectorFromArray(n.map((i) => (i % 4 === 1 ? null : Array.from({ length: i % 3 }, (_, k) => k * 1.5))), new List(new Field("item", new Float64(), true))),
    fixed: vectorFromArray(n.map((i) => [i, i + 1]), new FixedSizeList(2, new Field("item", new Float64(), false))),
    struct: vectorFromArray(n.map((i) => ({ a: i, b: `${i}` })), new Struct([new Field("a", new Float64(), true), new Field("b", new Utf8(), true)])),
    none: makeVector(makeData({ type: new Null(), length: rows })),
  });
}

describe("valid Arrow bodies pass and decode to the rows checked", () => {
  const bodies: [string, Uint8Array][] = [
    ["many types, stream", tableToIPC(manyTypes(37), "stream")],
    ["many types, file", tableToIPC(manyTypes(37), "file")],
    ["many types, several batches", tableToIPC(manyTypes(10).concat(manyTypes(0), manyTypes(21)), "stream")],
    ["quickstart columns with a dictionary", tableToIPC(quickstartTable(50), "stream")],
    ["the fixture good.arrows", fixture("good.arrows")],
    ["the fixture good.arrow", fixture("good.arrow")],
    ["no rows", tableToIPC(wideTable(3, 0), "stream")],
  ];
  it.each(bodies)("%s", (_name, body) => {
    const verdict = checkArrowIpc(body);
    expect(verdict).toMatchObject({ ok: true });
    expect(checkArrowIpc(shifted(body))).toEqual(verdict);
    const table = tableFromIPC(body);
    expect(verdict.ok && verdict.rows).toBe(table.numRows);
    expect(verdict.ok && verdict.columns).toBe(table.schema.fields.length);
  });
});

// `columns` double columns of `rows` rows.
const wideTable = (columns: number, rows: number) =>
  new Table(Object.fromEntries(Array.from({ length: columns }, (_, c) => [`c${c}`, vectorFromArray(Array.from({ length: rows }, (_, r) => r + c), new Float64())])));

// A body whose one column is `data` (written by apache-arrow's own writer, which copies what it is given).
const oneColumn = (data: ReturnType<typeof makeData>) => tableToIPC(new Table({ c: makeVector(data) }), "stream");

describe("damaged or oversized bodies are refused with a reason", () => {
  const dictionary = vectorFromArray(["a", "b"], new Utf8());
  const cases: [string, Uint8Array, object, "invalid" | "rows" | "columns", RegExp][] = [
    ["two bytes changed in a stream's schema (was: allocation until the heap limit)", fixture("hang_stream.arrows"), {}, "invalid", /outside/],
    ["one byte changed in a file's footer (was: an endless loop)", fixture("hang_onebyte.arrow"), {}, "invalid", /outside|does not hold/],
    ["1,000 rows claimed, 2 held (was: a 500)", fixture("lie_1k.arrows"), {}, "invalid", /buffer is shorter than 1000 × 8 bytes/],
    ["10M rows claimed in 1.8 KB (was: 480 MB of predictions)", fixture("liedictnull_10M.arrows"), { maxRows: 1_000_000 }, "rows", /more than 1000000 rows/],
    ["10M rows claimed in 1.8 KB, with no row limit", fixture("liedictnull_10M.arrows"), { maxRows: 1e12 }, "invalid", /too short|shorter/],
    ["a dictionary key past its dictionary", oneColumn(makeData({ type: new Dictionary(new Utf8(), new Int8()), length: 2, data: Int8Array.of(0, 5), dictionary })), {}, "invalid", /row 1 has dictionary key 5, outside its 2-entry dictionary/],
    ["a negative dictionary key", oneColumn(makeData({ type: new Dictionary(new Utf8(), new Int8()), length: 2, data: Int8Array.of(-1, 0), dictionary })), {}, "invalid", /row 0 has dictionary key -1/],
    ["offsets that decrease", oneColumn(makeData({ type: new Utf8(), length: 3, valueOffsets: Int32Array.of(0, 3, 1, 4), data: new TextEncoder().encode("abcd") })), {}, "invalid", /offsets decrease at value 1/],
    ["offsets past the data", oneColumn(makeData({ type: new Utf8(), length: 2, valueOffsets: Int32Array.of(0, 1, 99), data: new TextEncoder().encode("abcd") })), {}, "invalid", /reach byte 99 of a/],
    ["more nulls claimed than the bitmap has", oneColumn(makeData({ type: new Float64(), length: 8, nullCount: 3, nullBitmap: Uint8Array.of(0b11111110), data: new Float64Array(8) })), {}, "invalid", /claims 3 nulls but its validity bitmap has 1/],
    ["more columns than the limit", wideBody(1001), {}, "columns", /1001 columns, more than the limit of 1000/],
    ["a wider limit lets them through", wideBody(1001), { maxColumns: 2000 }, "ok" as never, /./],
    ["a fixed-size list of nulls claiming far more values than the body holds", tableToIPC(new Table({ l: makeVector(makeData({ type: new FixedSizeList(1 << 20, new Field("n", new Null(), true)), length: 64, child: makeData({ type: new Null(), length: 64 << 20 }) })) }), "stream"), {}, "invalid", /nested field "n" claims 67108864 values, more than the body can hold/],
    ["nesting deeper than the limit", tableToIPC(new Table({ s: vectorFromArray([{ a: { b: 1 } }]) }), "stream"), { maxDepth: 2 }, "columns", /nested deeper than 2 levels/],
    ["more rows than the limit over several batches", tableToIPC(quickstartTable(30).concat(quickstartTable(30)), "stream"), { maxRows: 59 }, "rows", /more than 59 rows/],
    ["empty", new Uint8Array(0), {}, "invalid", /no schema/],
    ["a file that does not end with ARROW1", fixture("good.arrow").subarray(0, 1600), {}, "invalid", /must end with ARROW1/],
    ["a stream cut in its body", fixture("good.arrows").subarray(0, 900), {}, "invalid", /claims \d+ bytes of metadata; \d+ remain/],
    ["bytes after the end-of-stream marker (apache-arrow would read on)", new Uint8Array([...fixture("good.arrows").subarray(0, 448), 0, 0, 0, 0, ...fixture("good.arrows").subarray(448)]), {}, "invalid", /bytes after the end-of-stream marker/],
    ["a dictionary column whose dictionary never comes", tableToIPC(quickstartTable(0), "stream"), {}, "invalid", /uses dictionary \d+ before the stream has sent it/],
  ];
  it.each(cases)("%s", (_name, body, limits, kind, reason) => {
    const verdict = checkArrowIpc(body, limits);
    expect(checkArrowIpc(shifted(body), limits)).toEqual(verdict);
    if ((kind as string) === "ok") return expect(verdict.ok).toBe(true);
    expect(verdict).toMatchObject({ ok: false, kind });
    expect(!verdict.ok && verdict.reason).toMatch(reason);
  });

  it("readTable (predict, stage files, parity) refuses a damaged file with the reason instead of decoding it", () => {
    expect(() => readTable(fixture("lie_1k.arrows"))).toThrow(/tenure_months.*shorter than 1000 × 8 bytes/);
    expect(readTable(fixture("good.arrow")).numRows).toBe(checkArrowIpc(fixture("good.arrow")).ok ? tableFromIPC(fixture("good.arrow")).numRows : -1);
  });
});

describe("a seeded fuzz corpus (3,000 mutated streams and files)", () => {
  const corpus = [...mutatedCorpus(9, 600), ...fixedCases()];

  it("every verdict comes in bounded time, and whatever passes decodes to the rows checked, every cell readable", () => {
    const started = performance.now();
    let passed = 0;
    let slowest = 0;
    for (const c of corpus) {
      const t0 = performance.now();
      const verdict = checkArrowIpc(c.body, { maxRows: 1_000_000 });
      slowest = Math.max(slowest, performance.now() - t0);
      if (!verdict.ok) continue;
      passed++;
      const table = tableFromIPC(c.body);
      expect(table.numRows, c.name).toBe(verdict.rows);
      for (const field of table.schema.fields) {
        const col = table.getChild(field.name)!;
        expect(col.length, `${c.name} ${field.name}`).toBe(table.numRows);
        for (let i = 0; i < col.length; i++) col.get(i);
      }
    }
    expect(corpus.length).toBeGreaterThanOrEqual(3000);
    expect(passed).toBeGreaterThan(100); // the corpus is not all rejects: flips in values still decode
    expect(slowest).toBeLessThan(500);
    expect(performance.now() - started).toBeLessThan(30_000);
  });
});
