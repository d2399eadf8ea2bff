// Arrow input vectors in the forms the scorer takes: numbers as Float64Array (or NullableNumbers), text as
// CodedStrings (each distinct value decoded once), and other types as plain values for the input contract.
import { DataType, Precision, type Data, type Vector } from "apache-arrow";
import { CodedStrings, NullableNumbers, type InputColumnData } from "../../model/columns.js";

type Column = InputColumnData;

// Arrow types the lenient contract casts from: numbers, text and booleans.
export function castable(type: DataType): boolean {
  return DataType.isFloat(type) || DataType.isInt(type) || DataType.isUtf8(type) || DataType.isBool(type) || (DataType.isDictionary(type) && DataType.isUtf8(type.dictionary));
}

// A column's values as plain JavaScript values (bigint as number), null where null.
export function plainValues(vector: Vector): unknown[] {
  const out = new Array<unknown>(vector.length);
  for (let i = 0; i < vector.length; i++) {
    const x = vector.get(i) as unknown;
    out[i] = typeof x === "bigint" ? Number(x) : (x ?? null);
  }
  return out;
}

// A numeric column as a Float64Array (the Arrow buffer itself when it is one Float64 chunk without nulls),
// or as NullableNumbers when it has nulls; read from the typed buffers and validity bitmaps directly.
export function numbers(vector: Vector): Column | null {
  const type = vector.type as DataType;
  if (!DataType.isFloat(type) && !DataType.isInt(type)) return null;
  const chunks = vector.data as Data[];
  if (chunks.length === 1 && chunks[0]!.nullCount === 0 && chunks[0]!.values instanceof Float64Array) {
    const d = chunks[0]!;
    return d.values.subarray(0, d.length);
  }
  const values = new Float64Array(vector.length);
  let nulls: Uint8Array | null = null;
  let at = 0;
  for (const d of chunks) {
    const raw = d.values as ArrayLike<number | bigint>;
    const plain = !(raw instanceof BigInt64Array || raw instanceof BigUint64Array) && !(DataType.isFloat(type) && type.precision === Precision.HALF);
    const bitmap = d.nullCount > 0 ? d.nullBitmap : null;
    for (let i = 0; i < d.length; i++, at++) {
      if (bitmap && bitmap.length > 0 && (bitmap[(d.offset + i) >> 3]! & (1 << ((d.offset + i) & 7))) === 0) {
        (nulls ??= new Uint8Array(vector.length))[at] = 1;
        values[at] = Number.NaN;
      } else if (plain) values[at] = raw[i] as number;
      else values[at] = Number(vector.get(at) as number | bigint); // Float16, 64-bit ints: Arrow's own conversion
    }
  }
  return nulls ? new NullableNumbers(values, nulls) : values;
}

// A utf8 (or dictionary-of-utf8) column as codes into its distinct values. Category values repeat, so each
// distinct byte string is decoded once: a hash of its bytes (4 at a time) finds it, checked byte for byte.
export function strings(vector: Vector): Column | null {
  const type = vector.type as DataType;
  if (DataType.isDictionary(type)) return DataType.isUtf8(type.dictionary) ? dictionaryStrings(vector) : null;
  if (!DataType.isUtf8(type)) return null;
  const codes = new Int32Array(vector.length);
  const words: string[] = [];
  const byText = new Map<string, number>(); // across chunks, whose bytes live in different buffers
  let at = 0;
  for (const d of vector.data as Data[]) {
    const offsets = d.valueOffsets as Int32Array;
    const bytes = d.values as Uint8Array;
    const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const bitmap = d.nullCount > 0 && d.nullBitmap && d.nullBitmap.length > 0 ? d.nullBitmap : null;
    const seen = new ChunkWords(view, bytes);
    for (let i = 0; i < d.length; i++, at++) {
      const bit = d.offset + i;
      if (bitmap && (bitmap[bit >> 3]! & (1 << (bit & 7))) === 0) {
        codes[at] = -1;
        continue;
      }
      const start = offsets[i]!; // Arrow slices the offsets with the data, but not the validity bitmap
      const end = offsets[i + 1]!;
      let code = seen.find(start, end);
      if (code < 0) {
        const text = buf.toString("utf8", start, end);
        code = byText.get(text) ?? words.length;
        if (code === words.length) {
          words.push(text);
          byText.set(text, code);
        }
        seen.add(start, end, code);
      }
      codes[at] = code;
    }
  }
  return new CodedStrings(codes, words);
}

// The distinct byte strings of one utf8 chunk: an open-addressing table of hash -> (start, end, code).
class ChunkWords {
  private table = new Int32Array(64).fill(-1);
  private readonly starts: number[] = [];
  private readonly ends: number[] = [];
  private readonly codes: number[] = [];

  constructor(
    private readonly view: DataView,
    private readonly bytes: Uint8Array,
  ) {}

  // FNV-style over four bytes at a time (the last four overlap the previous ones when the length is not a multiple of 4).
  private hash(start: number, end: number): number {
    let h = Math.imul(0x811c9dc5 ^ (end - start), 0x01000193);
    if (end - start >= 4) {
      let b = start;
      for (; b + 4 <= end; b += 4) h = Math.imul(h ^ this.view.getInt32(b, true), 0x01000193);
      if (b < end) h = Math.imul(h ^ this.view.getInt32(end - 4, true), 0x01000193);
    } else for (let b = start; b < end; b++) h = Math.imul(h ^ this.bytes[b]!, 0x01000193);
    return h ^ (h >>> 15);
  }

  private same(k: number, start: number, end: number): boolean {
    let a = this.starts[k]!;
    const aEnd = this.ends[k]!;
    if (aEnd - a !== end - start) return false;
    if (aEnd - a < 4) {
      for (let b = start; a < aEnd; a++, b++) if (this.bytes[a] !== this.bytes[b]) return false;
      return true;
    }
    let b = start;
    for (; a + 4 <= aEnd; a += 4, b += 4) if (this.view.getInt32(a, true) !== this.view.getInt32(b, true)) return false;
    return a === aEnd || this.view.getInt32(aEnd - 4, true) === this.view.getInt32(end - 4, true);
  }

  // The code of bytes start..end, or -1 when this chunk has not had them yet.
  find(start: number, end: number): number {
    const mask = this.table.length - 1;
    for (let slot = this.hash(start, end) & mask; ; slot = (slot + 1) & mask) {
      const k = this.table[slot]!;
      if (k < 0) return -1;
      if (this.same(k, start, end)) return this.codes[k]!;
    }
  }

  add(start: number, end: number, code: number): void {
    if (2 * (this.starts.length + 1) > this.table.length) this.grow();
    const k = this.starts.length;
    this.starts.push(start);
    this.ends.push(end);
    this.codes.push(code);
    this.place(k);
  }

  private place(k: number): void {
    const mask = this.table.length - 1;
    let slot = this.hash(this.starts[k]!, this.ends[k]!) & mask;
    while (this.table[slot]! >= 0) slot = (slot + 1) & mask;
    this.table[slot] = k;
  }

  private grow(): void {
    this.table = new Int32Array(this.table.length * 2).fill(-1);
    for (let k = 0; k < this.starts.length; k++) this.place(k);
  }
}

// A dictionary column: its keys are the codes (-1 where null), its dictionary the words.
function dictionaryStrings(vector: Vector): Column {
  const codes = new Int32Array(vector.length);
  const words: (string | null)[] = [];
  const byText = new Map<string | null, number>();
  let at = 0;
  for (const d of vector.data as Data[]) {
    const dict = d.dictionary!;
    const local = new Int32Array(dict.length);
    for (let k = 0; k < dict.length; k++) {
      const w = (dict.get(k) as string | null) ?? null;
      let code = byText.get(w);
      if (code === undefined) {
        code = words.length;
        words.push(w);
        byText.set(w, code);
      }
      local[k] = code;
    }
    const keys = d.values as ArrayLike<number | bigint>;
    const bitmap = d.nullCount > 0 && d.nullBitmap && d.nullBitmap.length > 0 ? d.nullBitmap : null;
    for (let i = 0; i < d.length; i++, at++) {
      const bit = d.offset + i;
      codes[at] = bitmap && (bitmap[bit >> 3]! & (1 << (bit & 7))) === 0 ? -1 : local[Number(keys[i])]!;
    }
  }
  return new CodedStrings(codes, words);
}
