// Reads the driver's structured lines `mlship: event {"applicationId": …, "uiWebUrl": …}` (spark-scripts/mlship_runtime/
// supervisor.py) and its live progress `{"phase": …, "progress": {jobs, stages}}` (live_progress.py), checked field by
// field: the driver's output is not trusted.

// Also spelt in supervisor.py (EVENT_PREFIX); test/unit/launch-driver-event.test.ts fails when they drift.
export const EVENT_PREFIX = "mlship: event ";

// One active Spark stage as the driver's status tracker saw it.
export interface StageProgress {
  id: number;
  name: string;
  tasks: number;
  done: number;
  active: number;
  failed: number;
}

// What a driver knows about itself once its SparkSession runs, and how far its run is.
export interface DriverEvent {
  applicationId?: string;
  uiWebUrl?: string;
  phase?: string; // reading, fitting, evaluating, exporting (live_progress.py PHASE_PREFIXES)
  progress?: { jobs: number[]; stages: StageProgress[] };
}

const MAX_LINE = 4096;
const APPLICATION_ID = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,199}$/; // local-…, app-…, application_…_…, spark-<hex>
const UI_URL = /^https?:\/\/[^\s"'<>]{1,500}$/;
const PHASE = /^[a-z][a-z-]{0,31}$/;
const MAX_STAGES = 20;
const MAX_COUNT = 2 ** 31 - 1; // Spark counts and ids are Java ints

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
  if (typeof fields.phase === "string" && PHASE.test(fields.phase)) event.phase = fields.phase;
  const progress = progressOf(fields.progress);
  if (progress) event.progress = progress;
  return Object.keys(event).length > 0 ? event : null;
}

// The progress field when every part of it is well-formed; null otherwise (a half-trusted count would mislead).
function progressOf(value: unknown): DriverEvent["progress"] | null {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return null;
  const { jobs, stages } = value as Record<string, unknown>;
  if (!Array.isArray(jobs) || !Array.isArray(stages) || jobs.length > MAX_STAGES || stages.length > MAX_STAGES) return null;
  if (!jobs.every(isCount)) return null;
  const parsed = stages.map(stageOf);
  return parsed.every((s): s is StageProgress => s !== null) ? { jobs: jobs as number[], stages: parsed } : null;
}

function stageOf(value: unknown): StageProgress | null {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return null;
  const s = value as Record<string, unknown>;
  const counts = [s.id, s.tasks, s.done, s.active, s.failed];
  if (!counts.every(isCount) || typeof s.name !== "string") return null;
  // A stage name is Spark's call site ("treeAggregate at RandomForest.scala:548"): printable text only.
  const name = s.name.replace(/[^\x20-\x7e]/g, "").slice(0, 200);
  return { id: s.id as number, name, tasks: s.tasks as number, done: s.done as number, active: s.active as number, failed: s.failed as number };
}

const isCount = (v: unknown): v is number => typeof v === "number" && Number.isInteger(v) && v >= 0 && v <= MAX_COUNT;

// Whether a line is an event line at all (well-formed or not): those go to the log, not to the terminal.
export const isEventLine = (line: string) => line.startsWith(EVENT_PREFIX);
