// Checks one record batch's buffers against its schema: every buffer inside the body, every length backed by
// bytes, validity bitmaps counting the claimed nulls, offsets monotonic and inside their data, dictionary keys
// inside their dictionary. What passes can be decoded without reading past a buffer.
import { Malformed, int64At } from "./flatbuf.js";
import type { BatchMeta, FieldMeta } from "./metadata.js";

// Where the batch's body lies in the whole input.
export interface Body {
  bytes: Uint8Array;
  view: DataView;
  start: number;
  length: number;
}

// Dictionary lengths by id, as far as the stream has sent them.
export type Dictionaries = Map<number, number>;

// Values of nested fields left to claim over the whole body. Real values take at least a bit each, but a
// list of nulls or a fixed-size list takes no bytes per value; without a budget a tiny body could claim billions.
export interface NestedBudget {
  left: number;
}

interface Region {
  at: number; // absolute, in body.bytes
  length: number;
}

// Walks the fields in the order apache-arrow's VectorLoader consumes nodes and buffers.
class Cursor {
  private node = 0;
  private buffer = 0;

  constructor(
    readonly batch: BatchMeta,
    readonly body: Body,
    readonly dictionaries: Dictionaries,
    readonly nested: NestedBudget,
  ) {}

  nextNode(name: string): { length: number; nullCount: number } {
    if (this.node >= this.batch.nodes.length) throw new Malformed(`column "${name}": the record batch has fewer field nodes than the schema has fields`);
    const at = this.batch.nodes.at + 16 * this.node++;
    const length = int64At(this.batch.meta, at, "field node");
    const nullCount = int64At(this.batch.meta, at + 8, "field node");
    if (length < 0 || nullCount < 0 || nullCount > length) throw new Malformed(`column "${name}": field node claims ${length} values with ${nullCount} nulls`);
    return { length, nullCount };
  }

  nextBuffer(name: string): Region {
    if (this.buffer >= this.batch.buffers.length) throw new Malformed(`column "${name}": the record batch has fewer buffers than its columns need`);
    const at = this.batch.buffers.at + 16 * this.buffer++;
    const offset = int64At(this.batch.meta, at, "buffer");
    const length = int64At(this.batch.meta, at + 8, "buffer");
    // (8-byte alignment, as the format requires: apache-arrow cannot view an unaligned Float64Array)
    if (offset % 8 !== 0) throw new Malformed(`column "${name}": a buffer at offset ${offset} is not 8-byte aligned`);
    if (offset < 0 || length < 0 || offset + length > this.body.length) throw new Malformed(`column "${name}": a buffer (offset ${offset}, length ${length}) lies outside the ${this.body.length}-byte message body`);
    return { at: this.body.start + offset, length };
  }

  done(): void {
    if (this.node !== this.batch.nodes.length || this.buffer !== this.batch.buffers.length)
      throw new Malformed(`the record batch has ${this.batch.nodes.length} field nodes and ${this.batch.buffers.length} buffers; its schema uses ${this.node} and ${this.buffer}`);
  }
}

// Checks a record batch (or a dictionary batch's data) whose columns are `fields`.
export function checkBatch(fields: FieldMeta[], batch: BatchMeta, body: Body, dictionaries: Dictionaries, nested: NestedBudget): void {
  const c = new Cursor(batch, body, dictionaries, nested);
  for (const f of fields) checkField(c, f, batch.length, true);
  c.done();
}

function checkField(c: Cursor, f: FieldMeta, atLeast: number, top: boolean): void {
  const { length, nullCount } = c.nextNode(f.name);
  if (top ? length !== atLeast : length < atLeast) throw new Malformed(`column "${f.name}" has ${length} values where ${top ? "the batch has" : "its parent needs"} ${atLeast}`);
  if (!top && (c.nested.left -= length) < 0) throw new Malformed(`nested field "${f.name}" claims ${length} values, more than the body can hold`);
  if (f.layout.kind === "null") return;
  const validity = c.nextBuffer(f.name);
  if (nullCount > 0) checkValidity(c.body, f.name, validity, length, nullCount);
  const fail = (what: string): never => {
    throw new Malformed(`column "${f.name}" (${length} values): ${what}`);
  };
  if (f.dictionary) {
    const size = c.dictionaries.get(f.dictionary.id);
    if (size === undefined) fail(`uses dictionary ${f.dictionary.id} before the stream has sent it`);
    const keys = c.nextBuffer(f.name);
    if (keys.length < length * f.dictionary.indexBytes) fail(`its ${keys.length}-byte key buffer is too short`);
    checkKeys(c.body, f, keys, length, nullCount > 0 ? validity : null, size!);
    return;
  }
  const layout = f.layout;
  switch (layout.kind) {
    case "bool":
      if (c.nextBuffer(f.name).length < Math.ceil(length / 8)) fail("its bit buffer is too short");
      return;
    case "fixed":
      if (c.nextBuffer(f.name).length < length * layout.bytes) fail(`its value buffer is shorter than ${length} × ${layout.bytes} bytes`);
      return;
    case "binary": {
      const offsets = c.nextBuffer(f.name);
      const data = c.nextBuffer(f.name);
      checkOffsets(c.body, f.name, offsets, length, layout.offsetBytes, data.length);
      return;
    }
    case "list": {
      const end = checkOffsets(c.body, f.name, c.nextBuffer(f.name), length, layout.offsetBytes, Number.MAX_SAFE_INTEGER);
      checkField(c, f.children[0]!, end, false);
      return;
    }
    case "fixedList":
      checkField(c, f.children[0]!, length * layout.size, false);
      return;
    case "struct":
      for (const child of f.children) checkField(c, child, length, false);
      return;
  }
}

// The validity bitmap holds `length` bits, and as many zero bits as the node claims nulls.
function checkValidity(body: Body, name: string, r: Region, length: number, nullCount: number): void {
  const full = length >> 3;
  if (r.length < Math.ceil(length / 8)) throw new Malformed(`column "${name}" claims ${nullCount} nulls but its validity bitmap is too short for ${length} values`);
  let valid = 0;
  const bytes = body.bytes;
  let i = 0;
  if ((bytes.byteOffset + r.at) % 4 === 0) {
    // (an aligned body: 32 bits at a time)
    const words = new Int32Array(bytes.buffer, bytes.byteOffset + r.at, full >> 2);
    for (let w = 0; w < words.length; w++) {
      let x = words[w]!;
      x -= (x >>> 1) & 0x55555555;
      x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
      valid += (Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24) as number;
    }
    i = words.length * 4;
  }
  for (; i < full; i++) valid += POPCOUNT[bytes[r.at + i]!]!;
  if (length & 7) valid += POPCOUNT[bytes[r.at + full]! & ((1 << (length & 7)) - 1)]!;
  if (length - valid !== nullCount) throw new Malformed(`column "${name}" claims ${nullCount} nulls but its validity bitmap has ${length - valid}`);
}

const POPCOUNT = Uint8Array.from({ length: 256 }, (_, b) => {
  let n = 0;
  for (let x = b; x; x >>= 1) n += x & 1;
  return n;
});

// Offsets start at or after 0, never decrease, and end inside the data; answers the last offset.
function checkOffsets(body: Body, name: string, r: Region, length: number, width: 4 | 8, dataLength: number): number {
  if (length === 0 && r.length === 0) return 0;
  if (r.length < (length + 1) * width) throw new Malformed(`column "${name}": its offsets buffer is too short for ${length} values`);
  const v = body.view;
  let prev = width === 4 ? v.getInt32(r.at, true) : int64At(v, r.at, "offset");
  if (prev < 0) throw new Malformed(`column "${name}": its first offset is negative`);
  if (width === 4 && (body.bytes.byteOffset + r.at) % 4 === 0) {
    // (the common case, an aligned body: a typed array reads several times faster than a DataView)
    const offsets = new Int32Array(body.bytes.buffer, body.bytes.byteOffset + r.at, length + 1);
    const at = firstDecrease(offsets);
    if (at >= 0) throw new Malformed(`column "${name}": offsets decrease at value ${at}`);
    prev = offsets[length]!;
  } else if (width === 4) {
    for (let i = 1, p = r.at + 4; i <= length; i++, p += 4) {
      const o = v.getInt32(p, true);
      if (o < prev) throw new Malformed(`column "${name}": offsets decrease at value ${i - 1}`);
      prev = o;
    }
  } else {
    for (let i = 1, p = r.at + 8; i <= length; i++, p += 8) {
      const o = int64At(v, p, "offset");
      if (o < prev) throw new Malformed(`column "${name}": offsets decrease at value ${i - 1}`);
      prev = o;
    }
  }
  if (prev > dataLength) throw new Malformed(`column "${name}": its offsets reach byte ${prev} of a ${dataLength}-byte data buffer`);
  return prev;
}

// The index of the first value whose offsets decrease, or -1 (a small hot loop on its own).
function firstDecrease(offsets: Int32Array): number {
  let prev = offsets[0]!;
  for (let i = 1; i < offsets.length; i++) {
    const o = offsets[i]!;
    if (o < prev) return i - 1;
    prev = o;
  }
  return -1;
}

// Every non-null key indexes into the dictionary.
function checkKeys(body: Body, f: FieldMeta, r: Region, length: number, validity: Region | null, size: number): void {
  const { indexBytes, signed } = f.dictionary!;
  const v = body.view;
  const bytes = body.bytes;
  const at = bytes.byteOffset + r.at;
  if (indexBytes < 8 && at % indexBytes === 0) {
    // (an aligned body: the keys as a typed array, several times faster than a DataView)
    const Keys = indexBytes === 1 ? (signed ? Int8Array : Uint8Array) : indexBytes === 2 ? (signed ? Int16Array : Uint16Array) : signed ? Int32Array : Uint32Array;
    const keys = new Keys(bytes.buffer as ArrayBuffer, at, length);
    for (let i = 0; i < length; i++) {
      const k = keys[i]!;
      if ((k < 0 || k >= size) && !(validity && (bytes[validity.at + (i >> 3)]! & (1 << (i & 7))) === 0))
        throw new Malformed(`column "${f.name}": row ${i} has dictionary key ${k}, outside its ${size}-entry dictionary`);
    }
    return;
  }
  for (let i = 0, p = r.at; i < length; i++, p += indexBytes) {
    if (validity && (bytes[validity.at + (i >> 3)]! & (1 << (i & 7))) === 0) continue;
    let k: number;
    if (indexBytes === 1) k = signed ? v.getInt8(p) : v.getUint8(p);
    else if (indexBytes === 2) k = signed ? v.getInt16(p, true) : v.getUint16(p, true);
    else if (indexBytes === 4) k = signed ? v.getInt32(p, true) : v.getUint32(p, true);
    else {
      const hi = v.getInt32(p + 4, true);
      k = hi !== 0 ? -1 : v.getUint32(p, true);
    }
    if (k < 0 || k >= size) throw new Malformed(`column "${f.name}": row ${i} has dictionary key ${k}, outside its ${size}-entry dictionary`);
  }
}
