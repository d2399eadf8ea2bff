// A number of seconds from an environment variable, in a range, else a default; a bad value is a usage error.
import { UserError } from "./errors.js";

export function secondsFromEnv(env: Record<string, string | undefined>, name: string, range: { min: number; max: number; fallback: number }): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === "") return range.fallback;
  const seconds = Number(raw);
  if (!Number.isFinite(seconds) || seconds < range.min || seconds > range.max) {
    throw new UserError(`${name}: expected a number of seconds from ${range.min} to ${range.max}, got "${raw}"`, "E_USAGE");
  }
  return seconds;
}
