// model.basedOn read from the store: the source version, its portable model's inputs, and the driver's block.
import type { InputColumn } from "../model/descriptor.js";
import { checkModelRef } from "../registry/refs.js";
import { resolveModelRef } from "../registry/registry.js";
import type { VersionRecord } from "../registry/records.js";
import type { Store } from "../store/types.js";
import type { TransferBlock } from "../submit/types.js";
import type { TransferSource } from "./compat.js";
import type { TransferMethod } from "./methods.js";

// Largest descriptor read from the store for its input schema (a descriptor is a few KB; trees can reach MBs).
const DESCRIPTOR_MAX_BYTES = 64 * 1024 * 1024;

// Resolves model.basedOn (deleted versions resolve to nothing) and reads the source's input schema.
export async function readTransferSource(store: Store, ref: string): Promise<TransferSource> {
  const checked = checkModelRef(ref);
  const record = checked.ok ? await resolveModelRef(store, ref) : null;
  if (!record) return { found: false, ref, location: store.location };
  return { found: true, ref, record, inputs: await sourceInputs(store, record) };
}

// The inputSchema of a version's portable/descriptor.json, or null when it has none or cannot be read.
async function sourceInputs(store: Store, record: VersionRecord): Promise<InputColumn[] | null> {
  const got = await store.get(`${record.artifacts.prefix}/portable/descriptor.json`);
  if (!got.ok || got.body.byteLength > DESCRIPTOR_MAX_BYTES) return null;
  try {
    const doc = JSON.parse(Buffer.from(got.body).toString("utf8")) as { inputSchema?: unknown };
    const inputs = doc.inputSchema;
    if (!Array.isArray(inputs)) return null;
    const good = inputs.filter(
      (c): c is InputColumn =>
        typeof c === "object" && c !== null && typeof c.name === "string" && (c.type === "double" || c.type === "string") && (c.role === "numeric" || c.role === "categorical"),
    );
    return good.length === inputs.length ? good : null;
  } catch {
    return null;
  }
}

// The --job JSON's `transfer` block: the pinned source version (never an alias that may move) and the method.
// `detail`: feature's resolved use, offset's GLM family.
export function transferBlock(source: VersionRecord, sourceUri: string, method: TransferMethod, freezeStages: boolean, detail: { use?: string; family?: string } = {}): TransferBlock {
  return {
    method,
    freezeStages,
    source: { ref: `${source.model}@${source.version}`, uri: sourceUri, manifestSha256: source.artifacts.manifestSha256 },
    ...detail,
  };
}
