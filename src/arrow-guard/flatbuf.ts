// A bounds-checked flatbuffer reader: every offset, vector and string is checked against the buffer before use.

// Thrown while reading metadata that does not fit its buffer; the guard turns it into a reason.
export class Malformed extends Error {}

// A flatbuffer table at `pos` in `buf`: typed field accessors that never read outside the buffer.
export class Table {
  private readonly vtable: number;
  private readonly vtableSize: number;

  constructor(
    readonly buf: DataView,
    readonly pos: number,
    readonly what: string,
  ) {
    need(buf, pos, 4, what);
    const vt = pos - buf.getInt32(pos, true);
    need(buf, vt, 4, `${what} vtable`);
    const size = buf.getUint16(vt, true);
    if (size < 4 || size % 2 !== 0) throw new Malformed(`${what}: bad vtable size ${size}`);
    need(buf, vt, size, `${what} vtable`);
    need(buf, pos, buf.getUint16(vt + 2, true), what);
    this.vtable = vt;
    this.vtableSize = size;
  }

  // The absolute position of field `i`, or 0 when it is absent.
  private field(i: number): number {
    const at = 4 + 2 * i;
    if (at >= this.vtableSize) return 0;
    const o = this.buf.getUint16(this.vtable + at, true);
    return o === 0 ? 0 : this.pos + o;
  }

  private scalar(i: number, size: number): number {
    const p = this.field(i);
    if (p) need(this.buf, p, size, `${this.what} field ${i}`);
    return p;
  }

  uint8(i: number, dflt = 0): number {
    const p = this.scalar(i, 1);
    return p ? this.buf.getUint8(p) : dflt;
  }
  int16(i: number, dflt = 0): number {
    const p = this.scalar(i, 2);
    return p ? this.buf.getInt16(p, true) : dflt;
  }
  int32(i: number, dflt = 0): number {
    const p = this.scalar(i, 4);
    return p ? this.buf.getInt32(p, true) : dflt;
  }
  // An int64 as a number; anything beyond ±2^53 is refused rather than rounded.
  int64(i: number, dflt = 0): number {
    const p = this.scalar(i, 8);
    return p ? int64At(this.buf, p, `${this.what} field ${i}`) : dflt;
  }

  // The position a uoffset field points at, or 0 when absent.
  private target(i: number): number {
    const p = this.scalar(i, 4);
    if (!p) return 0;
    const t = p + this.buf.getUint32(p, true);
    need(this.buf, t, 4, `${this.what} field ${i}`);
    return t;
  }

  table(i: number, what: string): Table | null {
    const t = this.target(i);
    return t ? new Table(this.buf, t, what) : null;
  }

  string(i: number): string | null {
    const t = this.target(i);
    if (!t) return null;
    const len = this.buf.getUint32(t, true);
    need(this.buf, t + 4, len, `${this.what} string`);
    return Buffer.from(this.buf.buffer, this.buf.byteOffset + t + 4, len).toString("utf8");
  }

  // A vector field: its length and where its elements start (each `size` bytes), checked to fit; null when absent.
  vector(i: number, size: number, what: string): { at: number; length: number } | null {
    const t = this.target(i);
    if (!t) return null;
    const length = this.buf.getUint32(t, true);
    need(this.buf, t + 4, length * size, what);
    return { at: t + 4, length };
  }

  // The tables of a vector-of-tables field (each element a uoffset).
  tables(i: number, what: string): Table[] {
    const v = this.vector(i, 4, what);
    if (!v) return [];
    const out: Table[] = [];
    for (let k = 0; k < v.length; k++) {
      const p = v.at + 4 * k;
      out.push(new Table(this.buf, p + this.buf.getUint32(p, true), what));
    }
    return out;
  }
}

// The table a flatbuffer's root offset points at.
export function root(buf: DataView, what: string): Table {
  need(buf, 0, 4, what);
  return new Table(buf, buf.getUint32(0, true), what);
}

export function int64At(buf: DataView, p: number, what: string): number {
  need(buf, p, 8, what);
  const lo = buf.getUint32(p, true);
  const hi = buf.getInt32(p + 4, true);
  if (hi > 0x1fffff || hi < -0x200000) throw new Malformed(`${what}: ${hi < 0 ? "negative" : "too large"} 64-bit value`);
  return hi * 0x1_0000_0000 + lo;
}

function need(buf: DataView, at: number, size: number, what: string): void {
  if (!(at >= 0 && size >= 0 && at + size <= buf.byteLength)) throw new Malformed(`${what} lies outside its ${buf.byteLength}-byte metadata`);
}
