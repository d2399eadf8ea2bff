// How often a status line is printed off a terminal: MLSHIP_PROGRESS_SECONDS (0 to 3600), else 10.
import { UserError } from "../errors.js";

export const PROGRESS_ENV = "MLSHIP_PROGRESS_SECONDS";
export const DEFAULT_PROGRESS_SECONDS = 10;
const MAX_PROGRESS_SECONDS = 3600;

// The interval in seconds; 0 prints every change. A bad value is a usage error before anything starts.
export function progressSeconds(env: Record<string, string | undefined>): number {
  const raw = env[PROGRESS_ENV];
  if (raw === undefined || raw.trim() === "") return DEFAULT_PROGRESS_SECONDS;
  const seconds = Number(raw);
  if (!Number.isFinite(seconds) || seconds < 0 || seconds > MAX_PROGRESS_SECONDS) {
    throw new UserError(`${PROGRESS_ENV}: expected a number of seconds from 0 to ${MAX_PROGRESS_SECONDS}, got "${raw}"`, "E_USAGE");
  }
  return seconds;
}
