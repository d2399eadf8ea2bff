// Reading a run's artifacts back from the store: the compiled portable model, its parity check,
// and the check that a registered version's artifacts are still the ones it was registered with.
// Every byte read here was first checked against MANIFEST.json (pulled into the local cache on S3).
import { readFile } from "node:fs/promises";
import { FatalError } from "../errors.js";
import { loadPortableModel, type CompiledModel } from "../model/index.js";
import type { VersionRecord } from "../registry/records.js";
import { pullArtifacts } from "../store/pull.js";
import type { Store } from "../store/types.js";
import { readManifest, verifyManifest, type ArtifactReader, type VerifiedArtifacts } from "./manifest.js";
import { checkParity, type ParityReport } from "./parity.js";

// A reader that pulls (and verifies) each file when it is first read, using the run's MANIFEST.json.
export function manifestReader(store: Store, modelPrefix: string): ArtifactReader {
  let manifest: ReturnType<typeof readManifest> | undefined;
  return {
    read: async (rel) => {
      const listed = await (manifest ??= readManifest(store, modelPrefix));
      if (!listed.ok) throw new FatalError(`${modelPrefix}: ${listed.problems.join("; ")}`, "E_ARTIFACTS");
      const entry = listed.manifest.files.find((f) => f.path === rel);
      if (!entry) throw new FatalError(`${rel} is not listed in ${modelPrefix}/MANIFEST.json`, "E_ARTIFACTS");
      const pulled = await pullArtifacts(store, modelPrefix, [entry]);
      if (pulled.problems.length) throw new FatalError(pulled.problems.join("; "), "E_ARTIFACTS", { details: pulled.problems });
      return readFile(pulled.files.get(rel)!.file);
    },
  };
}

// Loads and compiles the portable model of a run's model/ folder in the store (from `artifacts` when given).
export function loadStoredModel(store: Store, modelPrefix: string, artifacts: ArtifactReader = manifestReader(store, modelPrefix)): Promise<CompiledModel> {
  return loadPortableModel((rel) => artifacts.read(`portable/${rel}`));
}

// Checks the portable model (loaded from the store unless given) against Spark's parity sample.
// `mlship serve` passes the model it is about to serve, so the certified object is the served one.
export async function certify(
  store: Store,
  modelPrefix: string,
  tolerance: number,
  loaded?: CompiledModel,
  artifacts: ArtifactReader = manifestReader(store, modelPrefix),
): Promise<ParityReport> {
  const model = loaded ?? (await loadStoredModel(store, modelPrefix, artifacts));
  return checkParity(model, await artifacts.read("parity.arrow"), tolerance);
}

export type RegisteredCheck = { ok: true; artifacts: VerifiedArtifacts } | { ok: false; problems: string[] };

// Pulls and checks a registered version's artifacts: checksums, and the manifest being the registered one.
export async function verifyRegisteredArtifacts(store: Store, record: VersionRecord): Promise<RegisteredCheck> {
  const manifest = await verifyManifest(store, record.artifacts.prefix);
  if (!manifest.ok) return manifest;
  if (manifest.manifestSha256 !== record.artifacts.manifestSha256) {
    return { ok: false, problems: ["MANIFEST.json differs from the one the version was registered with (sha256 mismatch)"] };
  }
  return { ok: true, artifacts: manifest.artifacts };
}

// Problems with a registered version's artifacts (none: they are the registered ones, all verified).
export async function registeredArtifactProblems(store: Store, record: VersionRecord): Promise<string[]> {
  const check = await verifyRegisteredArtifacts(store, record);
  return check.ok ? [] : check.problems;
}
