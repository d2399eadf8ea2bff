// Public entry of the spec part: YAML job spec in, typed JobSpec (or every problem) out.
export { loadSpec, sortProblems, type LoadOptions, type LoadedSpec } from "./load.js";
export { loadSpecText } from "./load-text.js";
export { resolveStore, DEFAULT_STORE } from "./store.js";
export { secretEnvValues, isSecretName } from "./secrets.js";
export { interpolateString } from "./interpolate.js";
export { SET_FILE } from "./overrides.js";
export { SECRET_TAG } from "./yaml-convert.js";
export { specSchemas } from "./schema-define.js";
export { ALGORITHMS, ALGORITHM_PARAMS, TREE_ALGORITHMS, CATEGORICAL_ENCODINGS, defaultEncoding, type Algorithm, type CategoricalEncoding } from "../catalogue/index.js";
export type { JobSpec, SparkSpec } from "./schema.js";
