// Warms the JSON records path with one record at load (runtime/load.ts calls it for every parity row).
import { HttpError } from "./errors.js";
import { predictRecords } from "./records.js";
import type { ServedVersion } from "../runtime/served.js";

// Scores one record as a JSON request would; a record the route refuses is fine here (rows Spark itself skipped).
export function warmRecord(v: ServedVersion, record: Record<string, unknown>): void {
  try {
    predictRecords(v, { records: [record] });
  } catch (err) {
    if (!(err instanceof HttpError)) throw err;
  }
}
