// Reading a run's artifacts back from the store: the compiled portable model, its parity check,
// and the check that a registered version's artifacts are still the ones it was registered with.
import { FatalError } from "../errors.js";
import { loadPortableModel, type CompiledModel } from "../model/index.js";
import type { VersionRecord } from "../registry/records.js";
import type { Store } from "../store/types.js";
import { verifyManifest } from "./manifest.js";
import { checkParity, type ParityReport } from "./parity.js";

// Loads and compiles the portable model of a run's model/ folder in the store.
export function loadStoredModel(store: Store, modelPrefix: string): Promise<CompiledModel> {
  return loadPortableModel(async (rel) => {
    const got = await store.get(`${modelPrefix}/portable/${rel}`);
    if (!got.ok) throw new FatalError(`portable/${rel} is missing`, "E_ARTIFACTS");
    return got.body;
  });
}

// Checks the portable model (loaded from the store unless given) against Spark's parity sample.
// `mlship serve` passes the model it is about to serve, so the certified object is the served one.
export async function certify(store: Store, modelPrefix: string, tolerance: number, loaded?: CompiledModel): Promise<ParityReport> {
  const model = loaded ?? (await loadStoredModel(store, modelPrefix));
  const parity = await store.get(`${modelPrefix}/parity.arrow`);
  if (!parity.ok) throw new FatalError("parity.arrow is missing", "E_ARTIFACTS");
  return checkParity(model, parity.body, tolerance);
}

// Problems with a registered version's artifacts: checksums, and the manifest being the registered one.
export async function registeredArtifactProblems(store: Store, record: VersionRecord): Promise<string[]> {
  const manifest = await verifyManifest(store, record.artifacts.prefix);
  if (!manifest.ok) return manifest.problems;
  if (manifest.manifestSha256 !== record.artifacts.manifestSha256) {
    return ["MANIFEST.json differs from the one the version was registered with (sha256 mismatch)"];
  }
  return [];
}
