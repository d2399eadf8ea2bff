// The job spec's zod schema, built on first use: a command whose spec passes the precompiled check (shape-parse.ts)
// never builds it. The single source of truth for fields, types and defaults; schema.ts is its public face.
import { z } from "zod";
import { NAME_PATTERN } from "../registry/refs.js";
import { ALGORITHMS, CATEGORICAL_ENCODINGS, UPDATE_MODES } from "../catalogue/index.js";
import { SCALERS } from "./scalers.js";
import { durationIssues, promoteWhenIssue, REFINED_BY, RETRY_DURATIONS, TIMEOUT_DURATIONS } from "./refinements.js";
import { CONCURRENCY_POLICIES } from "../lease/policy.js";
import { TRANSFER_METHODS, TRANSFER_USES } from "../transfer/methods.js";

// A Spark size such as "512m", "4g" or "2048" (MiB when no unit is given).
export const SIZE_PATTERN = /^\d+(\.\d+)?([kmgtp]b?)?$/i;

// Every schema of the spec, built in one go (zod objects are cheap to keep, not to build: ~7 ms at start-up).
function defineSchemas() {
  const size = z.string().regex(SIZE_PATTERN, { message: 'a size like "512m" or "4g"' });

  // The same rule references are checked against (src/registry/refs.ts), so every name a spec gives can be named.
  const name = z
    .string()
    .regex(NAME_PATTERN, {
      message: "a name of letters, digits, '_', '.', '-' (at most 64, starting with a letter or digit)",
    });

  const posInt = z.number().int().positive();
  const scalar = z.union([z.string(), z.number(), z.boolean()]);

  // A Bucketizer split: a number, or "-inf" / "inf" for the open ends (JSON has no infinity).
  const split = z.union([z.number(), z.enum(["-inf", "inf"])]);

  const featuresSchema = z.strictObject({
    numeric: z.array(z.string().min(1)).default([]),
    categorical: z.array(z.string().min(1)).default([]),
    impute: z.enum(["mean", "median", "mode"]).default("mean"),
    scale: z.union([z.boolean(), z.enum(SCALERS)]).default(false),
    scaleOptions: z
      .strictObject({
        withMean: z.boolean().optional(),
        withStd: z.boolean().optional(),
        min: z.number().optional(),
        max: z.number().optional(),
      })
      .default({}),
    normalize: z.union([z.number().min(1), z.literal("inf")]).optional(),
    // No schema default: it depends on model.algorithm (defaultEncoding), resolved where the job is built.
    categoricalEncoding: z.enum(CATEGORICAL_ENCODINGS).optional(),
    indexer: z
      .strictObject({
        handleInvalid: z.enum(["keep", "skip", "error"]).default("keep"),
        stringOrderType: z.enum(["frequencyDesc", "frequencyAsc", "alphabetDesc", "alphabetAsc"]).default("frequencyDesc"),
      })
      .default({ handleInvalid: "keep", stringOrderType: "frequencyDesc" }),
    onehot: z
      .strictObject({
        dropLast: z.boolean().default(true),
        handleInvalid: z.enum(["error", "keep"]).default("error"),
      })
      .default({ dropLast: true, handleInvalid: "error" }),
    bucketize: z.record(z.string(), z.array(split)).default({}),
    quantiles: z.record(z.string(), z.number().int().min(2)).default({}),
    binarize: z.record(z.string(), z.number()).default({}),
    bucketOptions: z
      .strictObject({
        handleInvalid: z.enum(["keep", "skip", "error"]).default("keep"),
        relativeError: z.number().min(0).max(1).default(0.001),
      })
      .default({ handleInvalid: "keep", relativeError: 0.001 }),
    // Validated only (check-model.ts checkStages): names a stage that cannot be exported before Spark starts.
    stages: z.array(z.record(z.string(), z.unknown())).optional(),
  });

  const modelSchema = z.strictObject({
    name: name.optional(),
    algorithm: z.enum(ALGORITHMS),
    // Scalars, or a list of integers for the "integers" params of ALGORITHM_PARAMS.
    params: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.array(z.number().int())])).default({}),
    // Required except for CLUSTERING_ALGORITHMS (check-model.ts checkLabel).
    label: z.string().min(1).optional(),
    features: featuresSchema,
    // A registered version this model starts from (NAME@VERSION, NAME@ALIAS, NAME@latest): docs/transfer.md.
    basedOn: z.string().min(1).optional(),
    // How it starts from model.basedOn; only with basedOn (check-model.ts checkTransfer).
    transfer: z
      .strictObject({
        method: z.enum(TRANSFER_METHODS).optional(), // default by algorithm: defaultTransferMethod
        freezeStages: z.boolean().default(true),
        // feature: the source output the target reads; default probability (classifier) or prediction.
        use: z.enum(TRANSFER_USES).optional(),
      })
      .optional(),
  });

  const dataSchema = z.strictObject({
    train: z.string().min(1),
    format: z.enum(["parquet", "csv", "json", "orc"]).default("parquet"),
    options: z.record(z.string(), scalar).default({}),
    validation: z
      .strictObject({
        fraction: z.number().gt(0).lt(1).default(0.2),
        seed: z.number().int().default(42),
        // The column whose value alone places a row in the split (an id); else the whole row is hashed.
        key: z.string().min(1).optional(),
      })
      .default({ fraction: 0.2, seed: 42 }),
    partitionColumn: z.string().min(1).optional(),
    // The new data `mlship update` trains on (a path or glob), when not decided by the ledger (docs/updating.md).
    new: z.string().min(1).optional(),
  });

  const sparkSchema = z.strictObject({
    master: z.string().min(1).default("local[*]"),
    deployMode: z.enum(["client", "cluster"]).default("client"),
    appName: z.string().min(1).optional(),
    conf: z.record(z.string(), scalar).default({}),
    propertiesFile: z.string().min(1).optional(),
    driver: z
      .strictObject({
        memory: size.optional(),
        cores: posInt.optional(),
        javaOptions: z.string().optional(),
        classPath: z.string().optional(),
      })
      .default({}),
    executor: z
      .strictObject({
        memory: size.optional(),
        cores: posInt.optional(),
        instances: posInt.optional(),
      })
      .default({}),
    totalExecutorCores: posInt.optional(),
    jars: z.array(z.string().min(1)).default([]),
    packages: z.array(z.string().regex(/^[^:\s]+:[^:\s]+:[^:\s]+$/, { message: "a Maven coordinate group:artifact:version" })).default([]),
    excludePackages: z.array(z.string().regex(/^[^:\s]+:[^:\s]+$/, { message: "group:artifact" })).default([]),
    repositories: z.array(z.string().min(1)).default([]),
    pyFiles: z.array(z.string().min(1)).default([]),
    files: z.array(z.string().min(1)).default([]),
    archives: z.array(z.string().min(1)).default([]),
    queue: z.string().min(1).optional(),
    principal: z.string().min(1).optional(),
    keytab: z.string().min(1).optional(),
    proxyUser: z.string().min(1).optional(),
    verbose: z.boolean().default(false),
    env: z.record(z.string(), z.string()).default({}),
    // A packed Python environment shipped to the cluster (--archives) for a remote driver and the executors (docs/operations.md).
    pythonEnv: z
      .strictObject({
        archive: z.string().min(1),
        python: z.string().min(1).default("./environment/bin/python"),
      })
      .optional(),
  });

  const entrypointSchema = z.strictObject({
    script: z.string().min(1).optional(),
    jar: z.string().min(1).optional(),
    mainClass: z.string().min(1).optional(),
    args: z.array(z.string()).default([]),
  });

  const paritySchema = z.strictObject({
    rows: z.number().int().min(200).default(1000),
    tolerance: z.number().positive().max(1e-6).default(1e-9),
  });

  const promoteWhen = z
    .strictObject({
      metric: z.string().min(1),
      min: z.number().optional(),
      max: z.number().optional(),
      // The candidate may trail the alias's current version by at most this much (direction per metric: registry/metrics.ts).
      notWorseThanCurrentBy: z.number().min(0).optional(),
    })
    .superRefine((when, ctx) => {
      const issue = promoteWhenIssue(when);
      if (issue) ctx.addIssue({ code: "custom", input: when.metric, ...issue });
    });
  // The precompiled check (shape-parse.ts) applies the same rule, found by this name.
  REFINED_BY.set(promoteWhen, "promote.when");
  const promoteSchema = z.strictObject({ alias: name, when: promoteWhen.optional() });

  // How `mlship update` makes a child (docs/updating.md); ignored by `train`.
  const updateSchema = z.strictObject({
    mode: z.enum(UPDATE_MODES).optional(), // default: the algorithm's first catalogue mode
    decay: z.number().gt(0).max(1).optional(), // streaming: the weight of the history's cluster masses
    newTrees: posInt.optional(), // continue: trees added
    maxIter: posInt.optional(), // laplace: Newton steps at most
  });

  // Durations ("90s", "10m", "2h" or seconds) are checked by the objects' refinements (refinements.ts durationIssues).
  const duration = z.union([z.string(), z.number()]);
  const refineDurations = (fields: readonly string[]) => (obj: Record<string, unknown>, ctx: z.RefinementCtx) => {
    for (const issue of durationIssues(obj, fields)) ctx.addIssue({ code: "custom", input: obj[issue.path[0]!], ...issue });
  };
  // A whole run's limit, and how long a Spark job may wait with no executor (non-local masters); docs/operations.md.
  const timeoutSchema = z.strictObject({ run: duration.optional(), noExecutor: duration.optional() }).superRefine(refineDurations(TIMEOUT_DURATIONS));
  REFINED_BY.set(timeoutSchema, "timeout");
  // Attempts of a run whose failure is transient (or out of memory, with onOutOfMemory); src/retry/.
  const retrySchema = z
    .strictObject({
      attempts: z.number().int().min(1).max(10).default(1), // 1: no retry
      backoff: duration.default("30s"), // the first wait; doubled after each attempt, capped (src/retry/policy.ts)
      onOutOfMemory: z.number().gt(1).max(4).optional(), // raise driver and executor memory by this factor on an OOM retry
    })
    .superRefine(refineDurations(RETRY_DURATIONS));
  REFINED_BY.set(retrySchema, "retry");

  // Everything but profiles: what a profile may override (every field optional, deep).
  const jobSpecSchema = z.strictObject({
    name,
    description: z.string().optional(),
    model: modelSchema,
    data: dataSchema,
    spark: sparkSchema.default(sparkSchema.parse({})),
    entrypoint: entrypointSchema.optional(),
    store: z.string().min(1).optional(),
    parity: paritySchema.default({ rows: 1000, tolerance: 1e-9 }),
    promote: promoteSchema.optional(),
    update: updateSchema.optional(),
    concurrency: z.enum(CONCURRENCY_POLICIES).optional(), // default forbid (src/lease/policy.ts): one run of the job at a time
    timeout: timeoutSchema.optional(),
    retry: retrySchema.optional(),
  });

  return { featuresSchema, modelSchema, dataSchema, sparkSchema, entrypointSchema, paritySchema, promoteSchema, updateSchema, timeoutSchema, retrySchema, jobSpecSchema };
}

let built: ReturnType<typeof defineSchemas> | undefined;

// The spec's schemas, built the first time they are asked for.
export function specSchemas(): ReturnType<typeof defineSchemas> {
  built ??= defineSchemas();
  return built;
}
