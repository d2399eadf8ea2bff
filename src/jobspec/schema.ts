// The job spec schema: the single source of truth for fields, types and defaults (defined in schema-define.ts).
// docs/spec.md documents every field; test/unit/jobspec-docs.test.ts fails when one is missing. Importing a value
// from this module builds the zod schema; the loading pipeline imports only types from here, so that it builds the
// schema only when a spec needs zod's errors (see shape-parse.ts).
import type { z } from "zod";
import { specSchemas } from "./schema-define.js";

export { SIZE_PATTERN, specSchemas } from "./schema-define.js";
export { SCALERS, scalerOf, type Scaler } from "./scalers.js";

// The algorithms, their params and encoding defaults come from the algorithm catalogue (src/catalogue/), shared with
// the Spark side; they are re-exported here under the names the spec code has always used.
export {
  ALGORITHMS,
  ALGORITHM_PARAMS,
  CATEGORICAL_ENCODINGS,
  CLUSTERING_ALGORITHMS,
  TREE_ALGORITHMS,
  defaultEncoding,
  type Algorithm,
  type CategoricalEncoding,
} from "../catalogue/index.js";

export const { featuresSchema, modelSchema, dataSchema, sparkSchema, entrypointSchema, paritySchema, promoteSchema, jobSpecSchema } = specSchemas();

export type JobSpecSchema = ReturnType<typeof specSchemas>["jobSpecSchema"];
export type JobSpec = z.infer<JobSpecSchema>;
export type SparkSpec = JobSpec["spark"];
