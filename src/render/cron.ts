// Checks a schedule the Spark Operator accepts (robfig/cron: five fields, or a descriptor such as @daily, @every 1h).
const DESCRIPTORS = new Set(["@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly"]);
// Per field: numbers, names (JAN, MON), * ? / , - only.
const FIELD = /^[0-9A-Za-z*?/,-]+$/;

// Why the schedule is not one the operator parses, or undefined when it is.
export function cronProblem(schedule: string): string | undefined {
  const s = schedule.trim().replace(/^(CRON_)?TZ=\S+\s+/, "");
  if (DESCRIPTORS.has(s)) return undefined;
  if (s.startsWith("@every ")) {
    return /^@every (\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/.test(s) ? undefined : `expected a Go duration after @every, such as "@every 6h", got "${schedule}"`;
  }
  const fields = s.split(/\s+/);
  if (fields.length !== 5 || !fields.every((f) => FIELD.test(f))) {
    return `expected five cron fields "minute hour day-of-month month day-of-week" (e.g. "0 2 * * *") or @daily/@hourly/@every 6h, got "${schedule}"`;
  }
  return undefined;
}
