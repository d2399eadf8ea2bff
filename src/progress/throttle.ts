// When a status line is printed off a terminal: at most every N seconds, at once when the phase changes. Pure.
import type { ProgressState } from "./state.js";

export interface Throttle {
  lastAt: number | null; // when a status line was last printed (ms)
  lastKey: string | null; // what it said, without the clock
  lastPhase: string | null;
}

export const initialThrottle = (): Throttle => ({ lastAt: null, lastKey: null, lastPhase: null });

// What a status line says apart from the time: a line is printed only when this changed.
export const stateKey = (s: ProgressState) => JSON.stringify([s.phase, s.stage?.id ?? null, s.stage?.done ?? null, s.stage?.tasks ?? null, s.otherStages]);

// Whether to print the status now, and the throttle after it: a new phase at once; any other change once
// `everyMs` passed since the last line; nothing when nothing changed, nor for the gaps between stages (Spark runs
// many short ones: "no stage" lines in between would only double the output).
export function decide(t: Throttle, state: ProgressState, now: number, everyMs: number): { print: boolean; next: Throttle } {
  const key = stateKey(state);
  const printed = { print: true, next: { lastAt: now, lastKey: key, lastPhase: state.phase } };
  if (state.phase !== t.lastPhase) return printed;
  if (key === t.lastKey || state.stage === null) return { print: false, next: t };
  if (t.lastAt === null || now - t.lastAt >= everyMs) return printed;
  return { print: false, next: t };
}
