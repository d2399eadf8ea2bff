// Durations as a spec writes them ("90s", "10m", "2h", "1.5h" or a number of seconds), as seconds and back.

const UNIT_SECONDS = { s: 1, m: 60, h: 3600 } as const;
const DURATION = /^(\d+(?:\.\d+)?)\s*([smh]?)$/;
export const MAX_DURATION_SECONDS = 7 * 24 * 3600; // a week: longer is a typo, not a timeout
export const DURATION_EXPECTED = 'a duration like "90s", "10m", "2h" or a number of seconds';

// Seconds of a duration; null when it is not one (or not positive, or longer than a week).
export function parseDuration(value: unknown): number | null {
  let seconds: number;
  if (typeof value === "number") seconds = value;
  else if (typeof value === "string") {
    const m = DURATION.exec(value.trim());
    if (!m) return null;
    seconds = Number(m[1]) * UNIT_SECONDS[(m[2] || "s") as keyof typeof UNIT_SECONDS];
  } else return null;
  return Number.isFinite(seconds) && seconds > 0 && seconds <= MAX_DURATION_SECONDS ? seconds : null;
}

// A duration for people: "45s", "10m", "1h30m", "2m5s" (whole seconds; under 1 s as "0.5s").
export function formatDuration(seconds: number): string {
  if (seconds < 60) return `${Math.round(seconds * 10) / 10}s`;
  const whole = Math.round(seconds);
  const h = Math.floor(whole / 3600);
  const m = Math.floor((whole % 3600) / 60);
  const s = whole % 60;
  return `${h ? `${h}h` : ""}${m ? `${m}m` : ""}${s ? `${s}s` : ""}`;
}
