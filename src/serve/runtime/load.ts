// Loads one registered version for serving: verify checksums, load, certify parity, warm up.
import { certify, loadStoredModel, parityRefusal, verifyRegisteredArtifacts, type ArtifactReader } from "../../certify/index.js";
import { readTable, numberColumn, stringColumn } from "../../model/arrow.js";
import type { VersionRecord } from "../../registry/index.js";
import type { Store } from "../../store/types.js";
import { servedVersion, type ServedVersion } from "./served.js";

// Runs one record of the parity rows through a request path so the first real request is not the one that
// compiles it; given by the protocol layer (protocol/warm-up.ts), so this layer stays below it.
export type WarmUp = (served: ServedVersion, record: Record<string, unknown>) => void;

export type LoadOutcome =
  | { ok: true; served: ServedVersion; parity: { rows: number; maxAbsDiff: number }; ms: number }
  | { ok: false; problems: string[] };

// Never throws: a version that cannot be served comes back with the reasons.
export async function loadVersion(store: Store, record: VersionRecord, warm: WarmUp, now: () => Date = () => new Date()): Promise<LoadOutcome> {
  const started = performance.now();
  try {
    const prefix = record.artifacts.prefix;
    if (!record.parity?.passed) return refuse("the registry record has no passed parity certificate");
    const verified = await verifyRegisteredArtifacts(store, record); // pulled once into the local cache, then read from there
    if (!verified.ok) return refuse(...verified.problems);
    const scorer = await loadStoredModel(store, prefix, verified.artifacts);
    const parity = await certify(store, prefix, record.parity.tolerance, scorer, verified.artifacts);
    if (!parity.passed) {
      const refusal = parityRefusal(parity);
      return refuse(refusal.message, ...refusal.details);
    }
    const served = servedVersion(record, scorer, now());
    await warmUp(verified.artifacts, served, warm);
    return { ok: true, served, parity: { rows: parity.rows, maxAbsDiff: parity.maxAbsDiff }, ms: performance.now() - started };
  } catch (err) {
    return refuse(err instanceof Error ? err.message : String(err));
  }
}

const refuse = (...problems: string[]): LoadOutcome => ({ ok: false, problems });

// Runs the parity rows through `warm` (the JSON route's code path) once, a record at a time.
async function warmUp(artifacts: ArtifactReader, v: ServedVersion, warm: WarmUp): Promise<void> {
  const table = readTable(await artifacts.read("parity.arrow"));
  const schema = v.scorer.inputSchema;
  const columns = schema.map((c) => (c.type === "double" ? numberColumn(table, c.name) : stringColumn(table, c.name)));
  for (let r = 0; r < table.numRows; r++) {
    const record: Record<string, unknown> = {};
    schema.forEach((c, i) => (record[c.name] = columns[i]![r]));
    warm(v, record);
  }
}
