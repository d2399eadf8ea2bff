// The progress line's text: `fitting: stage 7 (treeAggregate) 12/40 tasks, 00:35 elapsed, ETA 00:20`. Pure.
import { etaSeconds, type ProgressState } from "./state.js";

// 35 s → "00:35", 3725 s → "1:02:05".
export function duration(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const two = (n: number) => String(n).padStart(2, "0");
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return h > 0 ? `${h}:${two(m)}:${two(s % 60)}` : `${two(m)}:${two(s % 60)}`;
}

// A time of day in UTC, as the store's records use: "12:03:04".
export const clock = (at: Date) => at.toISOString().slice(11, 19);

// "[12:03:04] text": a line as printed off a terminal.
export const stamped = (at: Date, text: string) => `[${clock(at)}] ${text}`;

// Spark names a stage after its call site ("treeAggregate at RandomForest.scala:548"): the operation is enough.
// A Scala closure's name ("$anonfun$withThreadLocalCaptured$2") tells a user nothing: no name then.
export function shortStageName(name: string): string {
  const op = name.split(" at ")[0]!.trim();
  return op.startsWith("$") ? "" : op;
}

// The one-line status of a run at time `now` (ms).
export function statusText(state: ProgressState, now: number): string {
  const parts: string[] = [];
  const { stage } = state;
  if (stage) {
    const others = state.otherStages > 0 ? ` (+${state.otherStages} more)` : "";
    const failed = stage.failed > 0 ? `, ${stage.failed} failed` : "";
    const name = shortStageName(stage.name);
    parts.push(`stage ${stage.id}${name ? ` (${name})` : ""} ${stage.done}/${stage.tasks} tasks${failed}${others}`);
  }
  parts.push(`${duration((now - state.startedAt) / 1000)} elapsed`);
  const eta = etaSeconds(state, now);
  if (eta !== null) parts.push(`ETA ${duration(Math.ceil(eta))}`);
  return `${state.phase ?? "starting"}: ${parts.join(", ")}`;
}

// Cuts a line to a terminal's width (one column spare, so it never wraps).
export const fitWidth = (text: string, columns: number | undefined) => {
  const width = Math.max(20, (columns || 80) - 1);
  return text.length <= width ? text : `${text.slice(0, width - 1)}…`;
};
