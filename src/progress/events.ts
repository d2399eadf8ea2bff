// The machine-readable progress events (`--events FILE`, or stderr with --json): one JSON document a line. Pure.
import type { StageProgress } from "../launch/driver-event.js";

export type ProgressEvent =
  | { type: "message"; source: "mlship" | "driver"; text: string }
  | { type: "phase"; phase: string }
  | { type: "progress"; phase: string | null; jobs: number[]; stages: StageProgress[]; elapsedSeconds: number; etaSeconds: number | null }
  | { type: "application"; applicationId?: string; uiWebUrl?: string };

// One event as its line: `{"time":"2026-12-07T12:03:04.000Z","type":"phase","phase":"fitting"}`.
export const eventLine = (at: Date, event: ProgressEvent) => JSON.stringify({ time: at.toISOString(), ...event });
