// Reads the driver's structured lines `mlship: event {"applicationId": …, "uiWebUrl": …}`
// (spark-scripts/mlship_runtime/supervisor.py), checked field by field: the driver's output is not trusted.

// Also spelt in supervisor.py (EVENT_PREFIX); test/unit/launch-driver-event.test.ts fails when they drift.
export const EVENT_PREFIX = "mlship: event ";

// What a driver knows about itself once its SparkSession runs.
export interface DriverEvent {
  applicationId?: string;
  uiWebUrl?: string;
}

const MAX_LINE = 4096;
const APPLICATION_ID = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,199}$/; // local-…, app-…, application_…_…, spark-<hex>
const UI_URL = /^https?:\/\/[^\s"'<>]{1,500}$/;

// One event line as its known, well-formed fields; null for any other line (or an event with none).
export function parseDriverEvent(line: string): DriverEvent | null {
  if (!line.startsWith(EVENT_PREFIX) || line.length > MAX_LINE) return null;
  let doc: unknown;
  try {
    doc = JSON.parse(line.slice(EVENT_PREFIX.length));
  } catch {
    return null;
  }
  if (typeof doc !== "object" || doc === null || Array.isArray(doc)) return null;
  const fields = doc as Record<string, unknown>;
  const event: DriverEvent = {};
  if (typeof fields.applicationId === "string" && APPLICATION_ID.test(fields.applicationId)) event.applicationId = fields.applicationId;
  if (typeof fields.uiWebUrl === "string" && UI_URL.test(fields.uiWebUrl)) event.uiWebUrl = fields.uiWebUrl;
  return Object.keys(event).length > 0 ? event : null;
}

// Whether a line is an event line at all (well-formed or not): those go to the log, not to the terminal.
export const isEventLine = (line: string) => line.startsWith(EVENT_PREFIX);
