// Every kind of record mlship keeps in a store, as one zod schema each: the single definition that
// writing checks before a put and reading checks before anything trusts the bytes. Unknown fields are
// kept (a newer mlship may add some); the fields mlship uses must have the shape it relies on.
import { z } from "zod";
import { CAUSES } from "../launch/cause.js";

const int = z.number().int();
const count = int.nonnegative();
const versionNumber = int.positive().max(Number.MAX_SAFE_INTEGER);
const finite = z.number();
const sha256 = z.string().regex(/^[0-9a-f]{64}$/, { message: "expected 64 lowercase hex digits" });
// A path under a run's model/ folder: relative, no empty, "." or ".." segments (it becomes a store key and a cache name).
const relativePath = z.string().refine((p) => p !== "" && p.split("/").every((part) => part !== "" && part !== "." && part !== ".."), {
  message: "expected a relative path without empty, '.' or '..' segments",
});

// One input file a version consumed (the ledger, docs/updating.md): a local file has an mtime, an S3 object an ETag.
export const inputFileSchema = z.looseObject({
  path: z.string(),
  size: count.max(Number.MAX_SAFE_INTEGER),
  mtime: z.string().optional(),
  etag: z.string().optional(),
});

// runs/<job>/<run-id>/input-files.json: the consumed files when there are too many to keep in the version record.
export const inputFilesDocSchema = z.looseObject({ files: z.array(inputFileSchema) });

// The highest data.partitionColumn value in the training data.
export const watermarkSchema = z.looseObject({ column: z.string(), value: z.union([z.string(), finite, z.boolean(), z.null()]) });

// Versions registered before the ledger have none of inputFiles, inputFilesRef and watermark.
export const lineageSchema = z.looseObject({
  runId: z.string(),
  job: z.string(),
  specFile: z.string(),
  specSha256: z.string(),
  profile: z.string().optional(),
  overrides: z.array(z.string()).optional(), // the --set overrides, redacted
  gitCommit: z.string().nullable(),
  gitDirty: z.boolean().optional(),
  data: z.looseObject({ train: z.string(), format: z.string() }),
  parentVersion: versionNumber.nullable().optional(),
  inputFiles: z.array(inputFileSchema).optional(),
  inputFilesRef: z.looseObject({ key: z.string(), sha256, files: count, bytes: count }).optional(),
  watermark: watermarkSchema.optional(),
  updateKey: sha256.optional(),
  basedOn: z.looseObject({ name: z.string(), version: versionNumber, manifestSha256: z.string(), method: z.string(), use: z.string().optional(), family: z.string().optional() }).optional(),
});

export const parityFigureSchema = z.looseObject({
  rows: count,
  maxAbsDiff: finite,
  tolerance: finite,
  labelMismatches: count,
  passed: z.boolean(),
});

// registry/<model>/versions/<n>.json
export const versionRecordSchema = z.looseObject({
  model: z.string(),
  version: versionNumber,
  createdAt: z.string(),
  algorithm: z.string(),
  task: z.string(),
  artifacts: z.looseObject({ store: z.string(), prefix: relativePath, manifestSha256: z.string(), files: count, bytes: count }),
  metrics: z.record(z.string(), finite),
  parity: parityFigureSchema,
  sparkVersion: z.string().optional(),
  lineage: lineageSchema,
  // The update modes the version's training state enables (model/state/state.json); absent on versions trained
  // before the state existed, which `mlship update` cannot start from.
  updateModes: z.array(z.string()).optional(),
  // The effective spec (profile, --set and ${VAR} applied; secret values redacted) and the fitted predictor's
  // parameters (model/params.json); absent on versions registered before they were kept.
  spec: z.record(z.string(), z.unknown()).optional(),
  params: z.looseObject({ stage: z.string(), params: z.record(z.string(), z.unknown()) }).optional(),
  // Set on versions `mlship update` made (docs/updating.md "The version record").
  update: z
    .looseObject({
      mode: z.string(),
      parentVersion: versionNumber,
      rows: z.looseObject({ history: count, new: count }),
      parentMetrics: z.record(z.string(), finite),
      shifts: z.array(z.looseObject({ feature: z.string(), psi: finite.nullable() })).optional(),
      facts: z.record(z.string(), z.unknown()).optional(),
    })
    .optional(),
});

export const aliasActionSchema = z.enum(["set", "promote", "rollback"]);

export const aliasEventSchema = z.looseObject({
  version: versionNumber,
  from: versionNumber.nullable(),
  at: z.string(),
  action: aliasActionSchema,
  by: z.string().optional(),
  reason: z.string().optional(),
});

// registry/<model>/aliases/<alias>.json. Records written before history existed lack the last four fields.
export const aliasRecordSchema = z.looseObject({
  model: z.string(),
  alias: z.string(),
  version: versionNumber,
  updatedAt: z.string().optional(),
  previous: versionNumber.nullable().optional(),
  history: z.array(aliasEventSchema).optional(),
  rollbackStack: z.array(versionNumber).optional(),
});

// registry/<model>/tags/<n>.json
export const tagsRecordSchema = z.looseObject({
  model: z.string(),
  version: versionNumber,
  tags: z.record(z.string(), z.string()),
  updatedAt: z.string(),
});

// registry/<model>/deleted/<n>.json
export const tombstoneSchema = z.looseObject({
  model: z.string(),
  version: versionNumber,
  deletedAt: z.string(),
  by: z.string().optional(),
  reason: z.string().optional(),
  aliasesAtDeletion: z.array(z.string()).optional(),
});

export const runStatusSchema = z.enum(["submitted", "running", "succeeded", "failed", "killed", "timed-out"]);

// One Spark attempt of a run (src/runs/attempts.ts).
export const runAttemptSchema = z.looseObject({
  attempt: count,
  startedAt: z.string(),
  endedAt: z.string(),
  exitCode: int.nullable(),
  signal: z.string().nullable().optional(),
  cause: z.enum(CAUSES).optional(),
  code: z.string().optional(),
  message: z.string().optional(),
  log: z.string().optional(),
  memory: z.looseObject({ driver: z.string(), executor: z.string() }).optional(),
});

// runs/<job>/<run-id>/run.json
export const runRecordSchema = z.looseObject({
  runId: z.string(),
  job: z.string(),
  status: runStatusSchema,
  submittedAt: z.string(),
  startedAt: z.string().optional(),
  endedAt: z.string().optional(),
  durationSeconds: finite.optional(),
  argv: z.array(z.string()),
  exitCode: int.nullable().optional(),
  signal: z.string().nullable().optional(),
  sparkApplicationId: z.string().nullable().optional(),
  sparkUiUrl: z.string().optional(),
  heartbeatAt: z.string().optional(),
  heartbeatSeconds: finite.positive().optional(),
  metrics: z.record(z.string(), finite).optional(),
  specFile: z.string(),
  specSha256: z.string(),
  profile: z.string().optional(),
  gitCommit: z.string().nullable(),
  registeredVersion: versionNumber.optional(),
  error: z.string().optional(),
  errorCode: z.string().regex(/^E_[A-Z][A-Z_]*$/, { message: "expected an error code like E_DATA" }).optional(), // src/error-codes.ts
  attempts: z.array(runAttemptSchema).max(100).optional(),
  supervisor: z.looseObject({ pid: count, host: z.string() }).optional(),
  driverLog: z.string().optional(),
  remote: z
    .looseObject({
      manager: z.enum(["standalone", "yarn", "kubernetes"]),
      master: z.string(),
      driverId: z.string().optional(),
      submitVia: z.enum(["rpc", "rest"]).optional(),
      yarnApplicationId: z.string().optional(),
      pod: z.string().optional(),
      namespace: z.string().optional(),
      state: z.string().optional(),
      stateAt: z.string().optional(),
      killed: z.looseObject({ at: z.string(), ok: z.boolean(), message: z.string() }).optional(),
    })
    .optional(),
});

// Who asked a lease's holder to stop (`concurrency: replace`), and when.
export const replaceRequestSchema = z.looseObject({ runId: z.string(), host: z.string(), pid: count, at: z.string() });

// locks/<job>.json: the job's lease (src/lease/, docs/store.md "Leases"); `releasedAt` marks a lease its holder gave back.
export const leaseRecordSchema = z.looseObject({
  job: z.string(),
  runId: z.string(),
  command: z.string(),
  host: z.string(),
  pid: count,
  acquiredAt: z.string(),
  heartbeatAt: z.string(),
  expiresAt: z.string(),
  replaceRequested: replaceRequestSchema.optional(),
  releasedAt: z.string().optional(),
});

export const manifestEntrySchema = z.looseObject({ path: relativePath, sha256, size: count.max(Number.MAX_SAFE_INTEGER) });

// runs/<job>/<run-id>/model/MANIFEST.json (written by the Spark side, last)
export const manifestSchema = z.looseObject({
  formatVersion: int,
  runId: z.string().optional(),
  createdAt: z.string().optional(),
  files: z.array(manifestEntrySchema).min(1, { message: "lists no files" }),
});

// runs/<job>/<run-id>/model/metrics.json (written by the Spark side)
export const metricsDocSchema = z.looseObject({
  metrics: z.record(z.string(), finite).optional(),
  spark: z.looseObject({ applicationId: z.string().nullable().optional() }).optional(),
});

// runs/<job>/<run-id>/model/state/state.json (written by the Spark side; docs/portable-model.md, "Training state")
export const trainingStateSchema = z.looseObject({
  formatVersion: int,
  algorithm: z.string(),
  updateModes: z.array(z.string()),
  files: z.array(z.looseObject({ path: relativePath, holds: z.string() })),
});

// runs/<job>/<run-id>/model/update.json (written by the Spark side for `mlship update`; docs/updating.md)
export const updateDocSchema = z.looseObject({
  mode: z.string(),
  rows: z.looseObject({ history: count, new: count }),
  parentMetrics: z.record(z.string(), finite.nullable()),
  shifts: z.array(z.looseObject({ feature: z.string(), psi: finite.nullable() })).optional(),
  facts: z.record(z.string(), z.unknown()).optional(),
});

// runs/<job>/<run-id>/model/params.json (written by the Spark side): the fitted predictor's parameters
export const paramsDocSchema = z.looseObject({ stage: z.string(), params: z.record(z.string(), z.unknown()) });

// The record kinds by name: what an error calls a record, and its schema.
export const RECORD_KINDS = {
  version: versionRecordSchema,
  alias: aliasRecordSchema,
  tags: tagsRecordSchema,
  tombstone: tombstoneSchema,
  run: runRecordSchema,
  lease: leaseRecordSchema,
  manifest: manifestSchema,
  metrics: metricsDocSchema,
  trainingState: trainingStateSchema,
  updateDoc: updateDocSchema,
  paramsDoc: paramsDocSchema,
} as const;

export type RecordKind = keyof typeof RECORD_KINDS;
export type RecordOf<K extends RecordKind> = z.infer<(typeof RECORD_KINDS)[K]>;
