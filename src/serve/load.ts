// Loads one registered version for serving: verify checksums, load, certify parity, warm up.
import { certify, loadStoredModel, parityRefusal, verifyRegisteredArtifacts, type ArtifactReader } from "../certify/index.js";
import { readTable, numberColumn, stringColumn } from "../model/arrow.js";
import type { VersionRecord } from "../registry/index.js";
import type { Store } from "../store/types.js";
import { HttpError } from "./errors.js";
import { predictRecords } from "./records.js";
import { servedVersion, type ServedVersion } from "./served.js";

export type LoadOutcome =
  | { ok: true; served: ServedVersion; parity: { rows: number; maxAbsDiff: number }; ms: number }
  | { ok: false; problems: string[] };

// Never throws: a version that cannot be served comes back with the reasons.
export async function loadVersion(store: Store, record: VersionRecord, now: () => Date = () => new Date()): Promise<LoadOutcome> {
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
    await warmUp(verified.artifacts, served);
    return { ok: true, served, parity: { rows: parity.rows, maxAbsDiff: parity.maxAbsDiff }, ms: performance.now() - started };
  } catch (err) {
    return refuse(err instanceof Error ? err.message : String(err));
  }
}

const refuse = (...problems: string[]): LoadOutcome => ({ ok: false, problems });

// Runs the parity rows through the JSON route's code path once, so the first real request is not the one that compiles it.
async function warmUp(artifacts: ArtifactReader, v: ServedVersion): Promise<void> {
  const table = readTable(await artifacts.read("parity.arrow"));
  const schema = v.scorer.inputSchema;
  const columns = schema.map((c) => (c.type === "double" ? numberColumn(table, c.name) : stringColumn(table, c.name)));
  for (let r = 0; r < table.numRows; r++) {
    const record: Record<string, unknown> = {};
    schema.forEach((c, i) => (record[c.name] = columns[i]![r]));
    try {
      predictRecords(v, { records: [record] });
    } catch (err) {
      if (!(err instanceof HttpError)) throw err; // rows Spark itself skipped are fine to fail here
    }
  }
}
