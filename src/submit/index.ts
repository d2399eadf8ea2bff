// The submit part: JobSpec -> spark-submit plan (argv, env, warnings), redaction, display, locating spark-submit.
export { buildPlan } from "./plan.js";
export type { Plan, PlanInput, PlanProblem, PlanResult } from "./types.js";
export { classifyMaster, type ClusterManager, type MasterResult } from "./master.js";
export { jobJson } from "./job-json.js";
export { builtinPaths } from "./app.js";
export { MASK, redactArgv, redactEnv, redactor } from "./redact.js";
export { formatCommand } from "./format.js";
export { findSparkSubmit, type LocateInput, type LocateResult, type SparkSubmitSource } from "./locate.js";
export { findSparkBuild } from "./spark-build.js";
export { parseSparkDefaults, readSparkDefaults } from "./spark-defaults.js";
export { SUPERVISOR_PID_ENV } from "./env.js";
export { hadoopVersionOf, ivyCacheDir, s3aConf, usesS3, S3A_CREDENTIAL_PROVIDERS } from "./s3a.js";
export type { SparkBuild } from "./types.js";
