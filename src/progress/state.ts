// What the progress display knows about a run: its phase and the stage Spark works on, folded from events. Pure.
import type { StageProgress } from "../launch/driver-event.js";

export interface ProgressState {
  startedAt: number; // ms since the epoch, when the run started
  phase: string | null;
  stage: StageProgress | null; // the newest active stage (the highest id)
  otherStages: number; // how many more stages are active beside it
  stageSeen: { id: number; at: number; done: number } | null; // when the stage was first seen, for the ETA
}

// An input to the display: a phase (the driver's, or mlship's own), or the driver's active stages.
export type ProgressInput = { kind: "phase"; phase: string } | { kind: "stages"; stages: StageProgress[]; phase?: string };

export const initialState = (startedAt: number): ProgressState => ({ startedAt, phase: null, stage: null, otherStages: 0, stageSeen: null });

// The state after one input at time `now` (ms).
export function applyInput(state: ProgressState, input: ProgressInput, now: number): ProgressState {
  if (input.kind === "phase") return input.phase === state.phase ? state : { ...state, phase: input.phase, stage: null, otherStages: 0, stageSeen: null };
  const phase = input.phase ?? state.phase;
  const stage = newest(input.stages);
  if (!stage) return { ...state, phase, stage: null, otherStages: 0, stageSeen: null };
  const stageSeen = state.stageSeen?.id === stage.id ? state.stageSeen : { id: stage.id, at: now, done: stage.done };
  return { ...state, phase, stage, otherStages: input.stages.length - 1, stageSeen };
}

const newest = (stages: StageProgress[]): StageProgress | null => stages.reduce<StageProgress | null>((a, s) => (a === null || s.id > a.id ? s : a), null);

// Seconds left in the current stage at the rate its tasks finished since it was first seen; null when unknown.
export function etaSeconds(state: ProgressState, now: number): number | null {
  const { stage, stageSeen } = state;
  if (!stage || !stageSeen) return null;
  const finished = stage.done - stageSeen.done;
  const seconds = (now - stageSeen.at) / 1000;
  if (finished <= 0 || seconds <= 0) return null;
  return Math.max(0, ((stage.tasks - stage.done) * seconds) / finished);
}

// mlship's own progress messages that start a phase (src/runs/train.ts), as the driver's phases do
// (spark-scripts/mlship_runtime/live_progress.py PHASE_PREFIXES).
const CLI_PHASES: [RegExp, string][] = [
  [/^run \S+: spark-submit /, "starting"],
  [/^verifying /, "verifying"],
  [/^certifying/, "certifying"],
];

// The phase one of mlship's own progress messages starts, or null.
export function cliPhaseOf(message: string): string | null {
  for (const [pattern, phase] of CLI_PHASES) if (pattern.test(message)) return phase;
  return null;
}
