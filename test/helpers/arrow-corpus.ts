// A deterministic corpus of hostile Arrow IPC bodies: seeded mutations (bit flips, byte changes, truncations,
// length and row-count lies, splices) of valid streams and files of the quickstart columns, plus wide schemas.
import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { join } from "node:path";
import { Dictionary, Float64, Int8, Int32, Table, Utf8, tableToIPC, vectorFromArray } from "apache-arrow";

export const HOSTILE_DIR = join(import.meta.dirname, "..", "fixtures", "hostile-arrow");

export interface ArrowCase {
  name: string;
  body: Uint8Array;
}

import { seeded } from "./random.js";

export { seeded };

// `rows` rows of the quickstart inputs: nulls, a dictionary column, an int column; as a table.
export function quickstartTable(rows: number, offset = 0): Table {
  const pick = <T>(xs: T[], i: number) => xs[(i + offset) % xs.length]!;
  const n = Array.from({ length: rows }, (_, i) => i + offset);
  return new Table({
    tenure_months: vectorFromArray(n.map((i) => i % 72), new Float64()),
    monthly_charges: vectorFromArray(n.map((i) => 18 + ((i * 7) % 100) + 0.25), new Float64()),
    total_charges: vectorFromArray(n.map((i) => (i % 5 === 0 ? null : ((i * 13) % 8000) + 0.5)), new Float64()),
    support_calls: vectorFromArray(n.map((i) => i % 6), new Int32()),
    contract: vectorFromArray(n.map((i) => pick(["month-to-month", "one-year", "two-year"], i)), new Dictionary(new Utf8(), new Int8())),
    payment_method: vectorFromArray(n.map((i) => pick(["electronic_check", "bank_transfer", "credit_card", "mailed_check"], i)), new Utf8()),
    region: vectorFromArray(n.map((i) => pick(["north", "south", null, "west"], i)), new Utf8()),
  });
}

// One row with `columns` double columns named c0, c1, …: a wide schema in a small body.
export function wideBody(columns: number): Uint8Array {
  const vectors: Record<string, ReturnType<typeof vectorFromArray>> = {};
  for (let i = 0; i < columns; i++) vectors[`c${i}`] = vectorFromArray([i], new Float64());
  return tableToIPC(new Table(vectors), "stream");
}

// One row of 20,000 double columns (2 MB; written by pyarrow, gzipped: apache-arrow takes seconds to build it).
export function wide20000(): Uint8Array {
  return gunzipSync(readFileSync(join(HOSTILE_DIR, "wide_20000.arrows.gz")));
}

// The valid bodies the mutations start from.
export function baseBodies(): ArrowCase[] {
  const two = quickstartTable(12).concat(quickstartTable(9, 12));
  return [
    { name: "good.arrows", body: readFileSync(join(HOSTILE_DIR, "good.arrows")) },
    { name: "good.arrow", body: readFileSync(join(HOSTILE_DIR, "good.arrow")) },
    { name: "dict-stream", body: tableToIPC(quickstartTable(20), "stream") },
    { name: "dict-file", body: tableToIPC(quickstartTable(20), "file") },
    { name: "two-batches", body: tableToIPC(two, "stream") },
  ];
}

const SPECIAL32 = [0x7fffffff, -1, -0x80000000, 0x10000, 10_000_000, 0];
const SPECIAL64 = [10_000_000, 2 ** 31, 2 ** 40, 2 ** 53 - 1, 1000];

// `perBase` seeded mutations of each base body, named by base, kind and number.
export function mutatedCorpus(seed: number, perBase: number): ArrowCase[] {
  const rnd = seeded(seed);
  const int = (n: number) => Math.floor(rnd() * n);
  const out: ArrowCase[] = [];
  for (const base of baseBodies()) {
    for (let k = 0; k < perBase; k++) {
      const b = Uint8Array.from(base.body);
      const v = new DataView(b.buffer);
      const kind = ["flip", "byte", "truncate", "lie32", "lie64", "splice", "flip", "byte"][int(8)]!;
      let body: Uint8Array = b;
      if (kind === "flip") for (let i = 1 + int(3); i > 0; i--) b[int(b.length)]! ^= 1 << int(8);
      else if (kind === "byte") for (let i = 1 + int(2); i > 0; i--) b[int(b.length)] = [0, 0xff, 0x7f, 0x80, int(256)][int(5)]!;
      else if (kind === "truncate") body = b.subarray(0, int(b.length));
      else if (kind === "lie32") v.setInt32(4 * int(b.length >> 2), SPECIAL32[int(SPECIAL32.length)]!, true);
      else if (kind === "lie64") {
        const x = SPECIAL64[int(SPECIAL64.length)]!;
        const at = 8 * int((b.length >> 3) - 1);
        v.setUint32(at, x % 2 ** 32, true);
        v.setUint32(at + 4, Math.floor(x / 2 ** 32), true);
      } else {
        const from = int(b.length);
        const piece = b.slice(from, from + 1 + int(64));
        const at = int(b.length);
        body = new Uint8Array([...b.subarray(0, at), ...piece, ...b.subarray(at)]);
      }
      out.push({ name: `${base.name}/${kind}#${k}`, body });
    }
  }
  return out;
}

// The hostile files found by hand (test/fixtures/hostile-arrow/README.md), and a few fixed shapes.
export function fixedCases(): ArrowCase[] {
  const file = (name: string) => ({ name, body: readFileSync(join(HOSTILE_DIR, name)) });
  return [
    file("hang_stream.arrows"),
    file("hang_onebyte.arrow"),
    file("liedictnull_10M.arrows"),
    file("lie_1k.arrows"),
    { name: "wide-20000", body: wide20000() },
    { name: "ARROW1-only", body: new TextEncoder().encode("ARROW1") },
    { name: "three-bytes", body: new Uint8Array([0xff, 0xff, 0xff]) },
    { name: "end-marker-only", body: new Uint8Array([0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0]) },
  ];
}
