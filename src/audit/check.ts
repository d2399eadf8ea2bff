// `mlship store check`: walks the registry, the artifacts of every version and the run records, and reports
// every problem with its key. Read-only; the same on both backends (it only uses the Store interface).
import { StoreRecordError } from "../errors.js";
import { aliasKey, nameProblem, tagsKey, tombstoneKey, versionKey } from "../registry/index.js";
import { readStored, type KeyFields } from "../registry/json.js";
import type { RecordKind, RecordOf } from "../records/index.js";
import { readRunRecord, runFromKey } from "../runs/record.js";
import type { Store } from "../store/types.js";
import { checkArtifacts } from "./artifacts.js";
import type { ProblemKind, StoreProblem, StoreReport } from "./report.js";

const REGISTRY_KEY = /^registry\/([^/]+)\/(versions|aliases|tags|deleted)\/([^/]+)\.json$/;

interface ModelKeys {
  versions: Set<number>;
  aliases: string[];
  tags: number[];
  deleted: Set<number>;
}

// Everything the registry holds, by model, from one listing.
function groupRegistry(keys: string[]): Map<string, ModelKeys> {
  const models = new Map<string, ModelKeys>();
  for (const key of keys) {
    const m = REGISTRY_KEY.exec(key);
    if (!m) continue; // not a record mlship writes (a stray file): nothing reads it
    const [, model, folder, name] = m as unknown as [string, string, string, string];
    const entry = models.get(model) ?? { versions: new Set(), aliases: [], tags: [], deleted: new Set() };
    models.set(model, entry);
    const n = /^\d+$/.test(name) ? Number(name) : null;
    if (folder === "aliases") entry.aliases.push(name);
    else if (n !== null && folder === "versions") entry.versions.add(n);
    else if (n !== null && folder === "tags") entry.tags.push(n);
    else if (n !== null && folder === "deleted") entry.deleted.add(n);
  }
  return models;
}

export async function checkStore(store: Store, opts: { progress?: (text: string) => void } = {}): Promise<StoreReport> {
  const problems: StoreProblem[] = [];
  const checked = { models: 0, versions: 0, aliases: 0, tags: 0, tombstones: 0, runs: 0, artifactFiles: 0 };
  const add = (key: string, kind: ProblemKind, message: string) => problems.push({ key, kind, message });
  // Reads one record; a damaged one becomes problems under its key.
  const read = async <K extends RecordKind>(kind: K, key: string, expect: KeyFields, as: ProblemKind): Promise<RecordOf<K> | null> => {
    try {
      return (await readStored(store, kind, key, expect))?.record ?? null;
    } catch (err) {
      if (!(err instanceof StoreRecordError)) throw err;
      for (const message of err.problems) add(key, as, message);
      return null;
    }
  };

  const models = groupRegistry(await store.list("registry"));
  const artifactPrefixes = new Set<string>();
  for (const [model, keys] of [...models].sort(([a], [b]) => a.localeCompare(b))) {
    checked.models++;
    const badName = nameProblem(model);
    if (badName) add(`registry/${model}`, "model", `${badName}: no command can name this model`);
    for (const version of [...keys.versions].sort((a, b) => a - b)) {
      checked.versions++;
      const record = await read("version", versionKey(model, version), { model, version }, "version");
      if (!record || artifactPrefixes.has(record.artifacts.prefix)) continue;
      artifactPrefixes.add(record.artifacts.prefix);
      opts.progress?.(`checking the artifacts of ${model}@${version} (${record.artifacts.prefix})`);
      const artifacts = await checkArtifacts(store, record.artifacts.prefix, record.artifacts.manifestSha256);
      problems.push(...artifacts.problems);
      checked.artifactFiles += artifacts.files;
    }
    for (const alias of keys.aliases.sort()) {
      checked.aliases++;
      const key = aliasKey(model, alias);
      const record = await read("alias", key, { model, alias }, "alias");
      if (!record) continue;
      if (!keys.versions.has(record.version)) add(key, "alias", `points at version ${record.version}, which does not exist`);
      else if (keys.deleted.has(record.version)) add(key, "alias", `points at version ${record.version}, which is deleted (so it resolves to nothing): move the alias`);
    }
    for (const version of keys.tags.sort((a, b) => a - b)) {
      checked.tags++;
      const key = tagsKey(model, version);
      if ((await read("tags", key, { model, version }, "tags")) && !keys.versions.has(version)) add(key, "tags", `tags of version ${version}, which does not exist`);
    }
    for (const version of [...keys.deleted].sort((a, b) => a - b)) {
      checked.tombstones++;
      const key = tombstoneKey(model, version);
      if ((await read("tombstone", key, { model, version }, "tombstone")) && !keys.versions.has(version)) add(key, "tombstone", `marks version ${version} deleted, which does not exist`);
    }
  }

  for (const key of await store.list("runs")) {
    const run = runFromKey(key);
    if (!run) continue;
    checked.runs++;
    try {
      await readRunRecord(store, run.job, run.runId);
    } catch (err) {
      if (!(err instanceof StoreRecordError)) throw err;
      for (const message of err.problems) add(key, "run", message);
    }
  }
  return { store: store.location, ok: problems.length === 0, checked, problems };
}
