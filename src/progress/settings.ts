// How often a status line is printed off a terminal: MLSHIP_PROGRESS_SECONDS (0 to 3600), else 10.
import { secondsFromEnv } from "../env-seconds.js";

export const PROGRESS_ENV = "MLSHIP_PROGRESS_SECONDS";
export const DEFAULT_PROGRESS_SECONDS = 10;
const MAX_PROGRESS_SECONDS = 3600;

// The interval in seconds; 0 prints every change. A bad value is a usage error before anything starts.
export function progressSeconds(env: Record<string, string | undefined>): number {
  return secondsFromEnv(env, PROGRESS_ENV, { min: 0, max: MAX_PROGRESS_SECONDS, fallback: DEFAULT_PROGRESS_SECONDS });
}
