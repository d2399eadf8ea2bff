// How registry records are written and read: through their schemas (src/records), and a record must name the
// model (and version or alias) that its key names, so a record copied to the wrong place is caught too.
import { StoreRecordError } from "../errors.js";
import { decodeRecord, encodeRecord, type RecordKind, type RecordOf } from "../records/index.js";
import type { Store } from "../store/types.js";

export const toJson = encodeRecord;

// The fields a record at `key` must have, because its key says so.
export type KeyFields = Record<string, string | number>;

// Checks bytes read from `key`: schema, then the fields the key implies.
export function fromStored<K extends RecordKind>(kind: K, key: string, body: Uint8Array, expect: KeyFields, where?: string): RecordOf<K> {
  const record = decodeRecord(kind, key, body, where);
  const wrong = Object.entries(expect)
    .filter(([field, value]) => (record as Record<string, unknown>)[field] !== value)
    .map(([field, value]) => `${field}: the record says ${JSON.stringify((record as Record<string, unknown>)[field])}, its key says ${JSON.stringify(value)}`);
  if (wrong.length) throw new StoreRecordError(key, wrong, where);
  return record;
}

// Reads a registry record and checks it; null when the key does not exist.
export async function readStored<K extends RecordKind>(store: Store, kind: K, key: string, expect: KeyFields): Promise<{ record: RecordOf<K>; etag: string } | null> {
  const got = await store.get(key);
  return got.ok ? { record: fromStored(kind, key, got.body, expect, store.location), etag: got.etag } : null;
}
