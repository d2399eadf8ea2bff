// The Arrow IPC flatbuffer metadata (Message, Schema, Field, RecordBatch, DictionaryBatch, Footer) read into
// plain objects with the bounds-checked reader; everything apache-arrow's decoder would read is read here first.
import { Malformed, Table, int64At, root } from "./flatbuf.js";

// How a column's values are laid out in the body (the buffers that follow its validity bitmap).
export type Layout =
  | { kind: "null" } // no buffers at all
  | { kind: "bool" } // one bit per value
  | { kind: "fixed"; bytes: number } // ints, floats, decimals, dates, times, timestamps, intervals, durations, fixed-size binary
  | { kind: "binary"; offsetBytes: 4 | 8 } // utf8 and binary: offsets, then bytes
  | { kind: "list"; offsetBytes: 4 | 8 } // offsets, then one child
  | { kind: "fixedList"; size: number } // one child of length * size
  | { kind: "struct" };

export interface FieldMeta {
  name: string;
  layout: Layout;
  typeName: string;
  dictionary: { id: number; indexBytes: 1 | 2 | 4 | 8; signed: boolean } | null; // the layout is then the dictionary's values
  children: FieldMeta[];
}

export interface BatchMeta {
  length: number;
  nodes: { at: number; length: number }; // FieldNode structs (16 bytes) in `meta`
  buffers: { at: number; length: number }; // Buffer structs (16 bytes) in `meta`
  meta: DataView;
}

export type MessageMeta =
  | { type: "schema"; bodyLength: number; fields: FieldMeta[] }
  | { type: "batch"; bodyLength: number; batch: BatchMeta }
  | { type: "dictionary"; bodyLength: number; id: number; isDelta: boolean; batch: BatchMeta }
  | { type: "other"; bodyLength: number; header: number };

export interface Block {
  offset: number;
}

export interface SchemaLimits {
  maxFields: number; // every field, nested ones included
  maxDepth: number; // 1: flat columns only
}

// Raised when the schema is larger than the limits allow (not malformed, just too wide or deep).
export class TooWide extends Error {}

const TYPE_NAMES = ["NONE", "Null", "Int", "FloatingPoint", "Binary", "Utf8", "Bool", "Decimal", "Date", "Time", "Timestamp", "Interval", "List", "Struct", "Union", "FixedSizeBinary", "FixedSizeList", "Map", "Duration", "LargeBinary", "LargeUtf8", "LargeList", "RunEndEncoded", "BinaryView", "Utf8View", "ListView", "LargeListView"];

// One IPC Message flatbuffer (the metadata of a stream message or file block).
export function readMessage(meta: Uint8Array, limits: SchemaLimits): MessageMeta {
  const buf = new DataView(meta.buffer, meta.byteOffset, meta.byteLength);
  const m = root(buf, "message");
  const version = m.int16(0);
  if (version !== 3 && version !== 4) throw new Malformed(`unsupported metadata version ${version} (expected V4 or V5)`);
  const header = m.uint8(1);
  const bodyLength = m.int64(3);
  if (bodyLength < 0) throw new Malformed("negative body length");
  customMetadata(m, 4);
  const h = m.table(2, "message header");
  if (header === 1) return { type: "schema", bodyLength, fields: readSchema(need(h, "schema"), limits) };
  if (header === 3) return { type: "batch", bodyLength, batch: readBatch(need(h, "record batch")) };
  if (header === 2) {
    const d = need(h, "dictionary batch");
    const id = d.int64(0);
    return { type: "dictionary", bodyLength, id, isDelta: d.uint8(2) !== 0, batch: readBatch(need(d.table(1, "dictionary data"), "dictionary data")) };
  }
  return { type: "other", bodyLength, header };
}

// The footer of an Arrow file: its schema and where its dictionary and record batch messages start.
export function readFooter(meta: Uint8Array, limits: SchemaLimits): { fields: FieldMeta[]; dictionaries: Block[]; batches: Block[] } {
  const buf = new DataView(meta.buffer, meta.byteOffset, meta.byteLength);
  const f = root(buf, "footer");
  customMetadata(f, 4);
  const fields = readSchema(need(f.table(1, "footer schema"), "footer schema"), limits);
  const blocks = (i: number, what: string): Block[] => {
    const v = f.vector(i, 24, what);
    const out: Block[] = [];
    for (let k = 0; v && k < v.length; k++) {
      const at = v.at + 24 * k;
      const offset = int64At(buf, at, what);
      int64At(buf, at + 16, what); // bodyLength: apache-arrow reads it; the message's own is the one used
      if (offset < 0) throw new Malformed(`${what}: negative offset`);
      out.push({ offset });
    }
    return out;
  };
  return { fields, dictionaries: blocks(2, "dictionary blocks"), batches: blocks(3, "record batch blocks") };
}

function need<T>(x: T | null, what: string): T {
  if (x === null) throw new Malformed(`${what} is missing`);
  return x;
}

// Reads (and so bounds-checks) custom_metadata key/value strings, as apache-arrow's decoder will.
function customMetadata(t: Table, i: number): void {
  for (const kv of t.tables(i, "custom metadata")) {
    kv.string(0);
    kv.string(1);
  }
}

function readSchema(s: Table, limits: SchemaLimits): FieldMeta[] {
  if (s.int16(0) !== 0) throw new Malformed("big-endian Arrow data is not supported");
  customMetadata(s, 2);
  s.vector(3, 8, "schema features");
  const budget = { fields: limits.maxFields, ids: new Set<number>() };
  const fields = s.tables(1, "schema fields");
  if (fields.length > limits.maxFields) throw new TooWide(`${fields.length} columns, more than the limit of ${limits.maxFields}`);
  return fields.map((f) => readField(f, 1, limits, budget));
}

function readField(f: Table, depth: number, limits: SchemaLimits, budget: { fields: number; ids: Set<number> }): FieldMeta {
  if (--budget.fields < 0) throw new TooWide(`more than ${limits.maxFields} fields (nested ones included)`);
  if (depth > limits.maxDepth) throw new TooWide(`fields nested deeper than ${limits.maxDepth} level${limits.maxDepth === 1 ? "" : "s"}`);
  const name = f.string(0) ?? "";
  customMetadata(f, 6);
  const d = f.table(4, "dictionary encoding");
  let dictionary: FieldMeta["dictionary"] = null;
  if (d) {
    if (depth > 1) throw new Malformed(`field "${name}": dictionary encoding is supported on top-level columns only`);
    const id = d.int64(0);
    if (budget.ids.has(id)) throw new Malformed(`field "${name}": dictionary id ${id} is used by two fields`);
    budget.ids.add(id);
    const index = d.table(1, "dictionary index type");
    const bits = index ? index.int32(0) : 32;
    if (bits !== 8 && bits !== 16 && bits !== 32 && bits !== 64) throw new Malformed(`field "${name}": dictionary index width ${bits} bits`);
    dictionary = { id, indexBytes: (bits / 8) as 1 | 2 | 4 | 8, signed: index ? index.uint8(1) !== 0 : true };
  }
  const children = f.tables(5, "field children").map((c) => readField(c, depth + 1, limits, budget));
  const typeId = f.uint8(2);
  const typeName = TYPE_NAMES[typeId] ?? `type ${typeId}`;
  const layout = layoutOf(f, typeId, name, typeName);
  const want = layout.kind === "list" || layout.kind === "fixedList" ? 1 : layout.kind === "struct" ? -1 : 0;
  if (want >= 0 && children.length !== want) throw new Malformed(`field "${name}" (${typeName}) has ${children.length} children, expected ${want}`);
  if (dictionary && layout.kind !== "binary" && layout.kind !== "fixed" && layout.kind !== "bool") throw new Malformed(`field "${name}": a dictionary of ${typeName} values is not supported`);
  return { name, layout, typeName, dictionary, children };
}

// The buffer layout of a field's type, with the widths apache-arrow's typed arrays use.
function layoutOf(f: Table, typeId: number, name: string, typeName: string): Layout {
  const t = () => need(f.table(3, `field "${name}" type`), `field "${name}" type`);
  const bad = (what: string): never => {
    throw new Malformed(`field "${name}" (${typeName}): ${what}`);
  };
  switch (typeId) {
    case 0:
    case 1:
      return { kind: "null" };
    case 2: {
      const bits = t().int32(0);
      if (bits !== 8 && bits !== 16 && bits !== 32 && bits !== 64) bad(`bit width ${bits}`);
      return { kind: "fixed", bytes: bits / 8 };
    }
    case 3: {
      const p = t().int16(0);
      if (p < 0 || p > 2) bad(`precision ${p}`);
      return { kind: "fixed", bytes: 2 << p };
    }
    case 4:
    case 5:
      return { kind: "binary", offsetBytes: 4 };
    case 19:
    case 20:
      return { kind: "binary", offsetBytes: 8 };
    case 6:
      return { kind: "bool" };
    case 7: {
      const bits = t().int32(2, 128);
      if (bits !== 32 && bits !== 64 && bits !== 128 && bits !== 256) bad(`bit width ${bits}`);
      return { kind: "fixed", bytes: bits / 8 };
    }
    case 8: {
      const unit = t().int16(0, 1);
      if (unit !== 0 && unit !== 1) bad(`unit ${unit}`);
      return { kind: "fixed", bytes: unit === 0 ? 4 : 8 };
    }
    case 9: {
      const time = t();
      time.int16(0, 1);
      const bits = time.int32(1, 32);
      if (bits !== 32 && bits !== 64) bad(`bit width ${bits}`);
      return { kind: "fixed", bytes: bits / 8 };
    }
    case 10: {
      const ts = t();
      ts.int16(0);
      ts.string(1);
      return { kind: "fixed", bytes: 8 };
    }
    case 11: {
      const unit = t().int16(0);
      if (unit < 0 || unit > 2) bad(`unit ${unit}`);
      return { kind: "fixed", bytes: [4, 8, 16][unit]! };
    }
    case 18:
      t().int16(0);
      return { kind: "fixed", bytes: 8 };
    case 15: {
      const width = t().int32(0);
      if (width < 1 || width > 1 << 20) bad(`byte width ${width}`);
      return { kind: "fixed", bytes: width };
    }
    case 12:
      return { kind: "list", offsetBytes: 4 };
    case 21:
      return { kind: "list", offsetBytes: 8 };
    case 16: {
      const size = t().int32(0);
      if (size < 0 || size > 1 << 20) bad(`list size ${size}`);
      return { kind: "fixedList", size };
    }
    case 13:
      return { kind: "struct" };
  }
  throw new Malformed(`field "${name}": Arrow type ${typeName} is not supported`);
}

function readBatch(b: Table): BatchMeta {
  const length = b.int64(0);
  if (length < 0) throw new Malformed("negative record batch length");
  const nodes = b.vector(1, 16, "field nodes") ?? { at: 0, length: 0 };
  const buffers = b.vector(2, 16, "buffers") ?? { at: 0, length: 0 };
  if (b.table(3, "compression")) throw new Malformed("compressed Arrow bodies are not supported; send them uncompressed");
  b.vector(4, 8, "variadic buffer counts");
  return { length, nodes, buffers, meta: b.buf };
}
