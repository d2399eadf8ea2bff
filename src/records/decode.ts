// Reading and writing store records through their schemas: a damaged record becomes a StoreRecordError
// naming its key and what is wrong, never a raw SyntaxError or TypeError further on.
import type { z } from "zod";
import { StoreRecordError } from "../errors.js";
import type { Store } from "../store/types.js";
import { RECORD_KINDS, type RecordKind, type RecordOf } from "./schemas.js";

// No record mlship writes comes near this; a larger object is refused before it is parsed.
export const RECORD_MAX_BYTES = 8 * 1024 * 1024;

export type RecordCheck<K extends RecordKind> = { ok: true; value: RecordOf<K> } | { ok: false; problems: string[] };

// A value shown in a problem: JSON, cut to a readable length.
function preview(value: unknown): string {
  const text = value === undefined ? "nothing" : JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

// One zod issue in words: "parity.rows: expected int, got \"2\"".
function describeIssue(issue: z.core.$ZodIssue & { input?: unknown }): string {
  const path = issue.path.map(String).join(".");
  const message = issue.message.replace(/^Invalid (input|option): /, "").replace(/, received \w+$/, "");
  const got = issue.code === "invalid_type" || issue.code === "invalid_value" || issue.code === "custom" || issue.code === "invalid_format" ? `, got ${preview(issue.input)}` : "";
  return `${path || "the record"}: ${message}${got}`;
}

// Checks the bytes of one record: size, UTF-8 JSON, then the schema of its kind. Pure.
export function checkRecord<K extends RecordKind>(kind: K, body: Uint8Array): RecordCheck<K> {
  if (body.length > RECORD_MAX_BYTES) return { ok: false, problems: [`${body.length} bytes, more than a ${kind} record may have (${RECORD_MAX_BYTES})`] };
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(body));
  } catch (err) {
    const why = err instanceof SyntaxError ? err.message : "not UTF-8 text";
    return { ok: false, problems: [body.length === 0 ? "empty (0 bytes), expected a JSON object" : `not valid JSON (${why}); the object may be cut short`] };
  }
  const parsed = RECORD_KINDS[kind].safeParse(value, { reportInput: true });
  if (!parsed.success) return { ok: false, problems: parsed.error.issues.slice(0, 10).map(describeIssue) };
  return { ok: true, value: parsed.data as RecordOf<K> };
}

// The record in `body`, or a StoreRecordError naming `key`.
export function decodeRecord<K extends RecordKind>(kind: K, key: string, body: Uint8Array, where?: string): RecordOf<K> {
  const checked = checkRecord(kind, body);
  if (!checked.ok) throw new StoreRecordError(key, checked.problems, where);
  return checked.value;
}

// Reads and checks one record; null when the key does not exist.
export async function readRecord<K extends RecordKind>(store: Store, kind: K, key: string): Promise<RecordOf<K> | null> {
  const got = await store.get(key);
  return got.ok ? decodeRecord(kind, key, got.body, store.location) : null;
}

// The bytes to store for a record (pretty JSON, final newline), after checking it against its schema:
// mlship never writes a record it would refuse to read.
export function encodeRecord(kind: RecordKind, key: string, value: unknown): string {
  const parsed = RECORD_KINDS[kind].safeParse(value, { reportInput: true });
  if (!parsed.success) throw new Error(`internal error: refusing to write ${kind} record ${key}: ${parsed.error.issues.map(describeIssue).join("; ")}`);
  return `${JSON.stringify(value, null, 2)}\n`;
}
