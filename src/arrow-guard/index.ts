// Arrow IPC input treated as untrusted: checks a whole stream or file (framing, flatbuffer metadata, every buffer
// of every batch, row and column counts) before apache-arrow decodes any of it. Pure: bytes and limits in, a verdict out.
import { checkBatch, type Body, type Dictionaries, type NestedBudget } from "./body.js";
import { Malformed } from "./flatbuf.js";
import { TooWide, readFooter, readMessage, type BatchMeta, type FieldMeta, type MessageMeta, type SchemaLimits } from "./metadata.js";

export interface ArrowLimits {
  maxRows?: number; // rows over all batches; default: 8 per byte of input (one bit per row, the densest honest layout)
  maxColumns?: number; // fields, nested ones included; default 1,000
  maxDepth?: number; // nesting levels (1: flat columns); default 4
}

export const ARROW_DEFAULTS = { maxColumns: 1000, maxDepth: 4 } as const;

export type ArrowVerdict =
  | { ok: true; format: "stream" | "file"; rows: number; columns: number; batches: number }
  | { ok: false; kind: "invalid" | "rows" | "columns"; reason: string };

const MAGIC = [0x41, 0x52, 0x52, 0x4f, 0x57, 0x31]; // "ARROW1"

// The verdict on an Arrow IPC body; apache-arrow reads a body as a file when it starts with "ARROW1", as a stream otherwise.
export function checkArrowIpc(bytes: Uint8Array, limits: ArrowLimits = {}): ArrowVerdict {
  const isFile = bytes.byteLength >= 6 && MAGIC.every((b, i) => bytes[i] === b);
  const checker = new Checker(bytes, limits);
  try {
    if (isFile) checker.file();
    else checker.stream();
  } catch (err) {
    if (err instanceof TooWide) return { ok: false, kind: "columns", reason: err.message };
    if (err instanceof TooManyRows) return { ok: false, kind: "rows", reason: err.message };
    if (err instanceof Malformed || err instanceof RangeError) return { ok: false, kind: "invalid", reason: err.message };
    throw err;
  }
  return { ok: true, format: isFile ? "file" : "stream", rows: checker.rows, columns: checker.fields.length, batches: checker.batches };
}

class TooManyRows extends Error {}

class Checker {
  readonly view: DataView;
  readonly schemaLimits: SchemaLimits;
  readonly maxRows: number;
  fields: FieldMeta[] = [];
  rows = 0;
  batches = 0;
  private readonly dictionaries: Dictionaries = new Map();
  private readonly dictionaryWork = new Map<number, number>();
  private readonly nested: NestedBudget;

  constructor(
    readonly bytes: Uint8Array,
    limits: ArrowLimits,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.schemaLimits = { maxFields: limits.maxColumns ?? ARROW_DEFAULTS.maxColumns, maxDepth: limits.maxDepth ?? ARROW_DEFAULTS.maxDepth };
    this.maxRows = limits.maxRows ?? 8 * bytes.byteLength;
    this.nested = { left: 8 * bytes.byteLength };
  }

  // A stream: a schema message, then dictionary and record batch messages, to an end marker or the end of the bytes.
  stream(): void {
    let pos = 0;
    let first = true;
    for (;;) {
      const m = this.message(pos);
      if (!m) break;
      if (first !== (m.meta.type === "schema")) throw new Malformed(first ? "an Arrow stream must start with its schema" : "a second schema in one stream is not supported");
      first = false;
      this.apply(m.meta, m.body);
      pos = m.body + m.meta.bodyLength;
    }
    if (first) throw new Malformed("no schema: the body is not an Arrow IPC stream");
  }

  // A file: "ARROW1", padding, messages, the footer, its length, "ARROW1"; apache-arrow reads the blocks the footer lists.
  file(): void {
    const n = this.bytes.byteLength;
    if (n < 18 || !MAGIC.every((b, i) => this.bytes[n - 6 + i] === b)) throw new Malformed("an Arrow file must end with ARROW1");
    const footerLength = this.view.getInt32(n - 10, true);
    const footerStart = n - 10 - footerLength;
    if (footerLength <= 0 || footerStart < 8) throw new Malformed(`the Arrow file's footer length ${footerLength} does not fit the file`);
    const footer = readFooter(this.bytes.subarray(footerStart, n - 10), this.schemaLimits);
    this.fields = footer.fields;
    for (const block of footer.dictionaries) this.block(block.offset, "dictionary");
    for (const block of footer.batches) this.block(block.offset, "batch");
  }

  private block(offset: number, want: "dictionary" | "batch"): void {
    const m = offset + 8 <= this.bytes.byteLength ? this.message(offset) : null;
    if (!m || m.meta.type !== want) throw new Malformed(`an Arrow file ${want === "batch" ? "record batch" : "dictionary"} block at byte ${offset} does not hold one`);
    this.apply(m.meta, m.body);
  }

  // The message at `pos` (continuation marker, length, metadata; its body must fit), or null at the end marker or the end.
  private message(pos: number): { meta: MessageMeta; body: number } | null {
    const n = this.bytes.byteLength;
    if (pos === n) return null;
    if (pos + 4 > n) throw new Malformed(`truncated message length at byte ${pos}`);
    let length = this.view.getInt32(pos, true);
    pos += 4;
    if (length === -1) {
      if (pos === n) return null;
      if (pos + 4 > n) throw new Malformed(`truncated message length at byte ${pos}`);
      length = this.view.getInt32(pos, true);
      pos += 4;
    }
    // apache-arrow reads on past an end marker when no batch came before it: nothing may follow one.
    if (length === 0) {
      if (pos !== n) throw new Malformed(`${n - pos} bytes after the end-of-stream marker at byte ${pos - 4}`);
      return null;
    }
    if (length < 0 || pos + length > n) throw new Malformed(`a message at byte ${pos} claims ${length} bytes of metadata; ${n - pos} remain`);
    const meta = readMessage(this.bytes.subarray(pos, pos + length), this.schemaLimits);
    const body = pos + length;
    if (meta.bodyLength > n - body) throw new Malformed(`a message at byte ${pos} claims a ${meta.bodyLength}-byte body; ${n - body} remain`);
    if (meta.type === "schema") {
      if (meta.bodyLength !== 0) throw new Malformed("a schema message with a body");
    } else if (meta.type === "other") throw new Malformed(`unsupported message type ${meta.header}`);
    return { meta, body };
  }

  private apply(meta: MessageMeta, bodyAt: number): void {
    if (meta.type === "schema") {
      this.fields = meta.fields;
      return;
    }
    const body: Body = { bytes: this.bytes, view: this.view, start: bodyAt, length: meta.bodyLength };
    if (meta.type === "batch") {
      this.rows += meta.batch.length;
      if (this.rows > this.maxRows) throw new TooManyRows(`more than ${this.maxRows} rows`);
      checkBatch(this.fields, meta.batch, body, this.dictionaries, this.nested);
      this.batches++;
      this.countDictionaryWork(meta.batch);
    } else if (meta.type === "dictionary") {
      const field = this.fields.find((f) => f.dictionary?.id === meta.id);
      if (!field) throw new Malformed(`a dictionary batch for id ${meta.id}, which no column uses`);
      checkBatch([{ ...field, dictionary: null }], meta.batch, body, this.dictionaries, this.nested);
      const before = this.dictionaries.get(meta.id);
      this.dictionaries.set(meta.id, (meta.isDelta && before !== undefined ? before : 0) + meta.batch.length);
    }
  }

  // Decoding reads a column's whole dictionary once per batch; bound that like rows.
  private countDictionaryWork(batch: BatchMeta): void {
    for (const f of this.fields) {
      if (!f.dictionary) continue;
      const work = (this.dictionaryWork.get(f.dictionary.id) ?? 0) + this.dictionaries.get(f.dictionary.id)! + batch.length;
      if (work > this.maxRows + this.bytes.byteLength) throw new TooManyRows(`dictionary "${f.name}" read once per batch adds up to more than ${this.maxRows} rows`);
      this.dictionaryWork.set(f.dictionary.id, work);
    }
  }
}
