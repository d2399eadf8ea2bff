// The update modes a run's training state enables: model/state/state.json, read from the verified artifacts.
import type { VerifiedArtifacts } from "../certify/index.js";
import { FatalError } from "../errors.js";
import { decodeRecord } from "../records/index.js";

export const TRAINING_STATE = "state/state.json";

// The state's update modes, or null when the run exported no state (a user's own export without df_train).
// A state.json naming a file the MANIFEST does not list is refused: every state file must be verified.
export async function trainingStateModes(artifacts: VerifiedArtifacts): Promise<string[] | null> {
  if (!artifacts.files.has(TRAINING_STATE)) return null;
  const key = `${artifacts.prefix}/${TRAINING_STATE}`;
  const state = decodeRecord("trainingState", key, await artifacts.read(TRAINING_STATE));
  const unlisted = state.files.map((f) => f.path).filter((p) => !artifacts.files.has(p));
  if (unlisted.length) throw new FatalError(`${key} names files MANIFEST.json does not list: ${unlisted.join(", ")}`, "E_ARTIFACTS");
  return state.updateModes;
}
