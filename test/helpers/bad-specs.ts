// The bad-spec table: specs that loadSpec must refuse, each with the one problem it reports (file, line, col,
// path, message). test/unit/jobspec-errors.test.ts checks the loader against it; jobspec-json-schema.test.ts the
// JSON Schema.
import { ALGORITHMS } from "../../src/jobspec/schema.js";

export const FILE = "jobs/churn.yaml";

// A small valid spec, one field per line, so cases can swap lines and predict positions:
export const BASE = {
  name: "name: churn", // 1
  model: "model:", // 2
  algorithm: "  algorithm: logistic_regression", // 3
  label: "  label: churned", // 4
  features: "  features:", // 5
  numeric: "    numeric: [tenure]", // 6
  data: "data:", // 7
  train: "  train: data/churn/", // 8
};
type Line = keyof typeof BASE;

// BASE with some lines replaced (undefined drops the line) and extra lines appended.
export function spec(replace: Partial<Record<Line, string | undefined>> = {}, ...extra: string[]): string {
  const lines = (Object.keys(BASE) as Line[]).flatMap((k) => {
    if (!(k in replace)) return [BASE[k]];
    const v = replace[k];
    return v === undefined ? [] : [v];
  });
  return [...lines, ...extra].join("\n") + "\n";
}

export interface Case {
  title: string;
  text: string;
  opts?: { env?: Record<string, string>; profile?: string; sets?: string[] };
  // [file, line, col, path, message] of the single expected problem
  want: [string, number, number, string, string | RegExp];
}

export const cases: Case[] = [
  {
    title: "YAML syntax: unclosed flow list",
    text: spec({ numeric: "    numeric: [tenure", data: "  categorical: [contract]" }),
    want: [FILE, 7, 3, "", /^YAML syntax error: /],
  },
  {
    title: "YAML syntax: tab indentation",
    text: spec({ train: "\ttrain: data/churn/" }),
    want: [FILE, 8, 1, "", /^YAML syntax error: tabs are not allowed as indentation/],
  },
  {
    title: "YAML syntax: duplicate key",
    text: spec({}, "name: other"),
    want: [FILE, 9, 1, "", "YAML syntax error: map keys must be unique"],
  },
  {
    title: "YAML syntax: two documents",
    text: spec({}, "---", "name: other"),
    want: [FILE, 9, 1, "", /^YAML syntax error: source contains multiple documents/],
  },
  {
    title: "empty document",
    text: "# nothing here\n",
    want: [FILE, 1, 1, "", "expected a job spec (a map of fields), got an empty document"],
  },
  {
    title: "top level is a list",
    text: "- name: churn\n",
    want: [FILE, 1, 1, "", "expected a map of fields at the top level, got a list"],
  },
  {
    title: "wrong type: name is a list",
    text: spec({ name: "name: [a, b]" }),
    want: [FILE, 1, 1, "name", "expected a string, got a list"],
  },
  {
    title: "bad name characters",
    text: spec({ name: "name: churn model" }),
    want: [FILE, 1, 1, "name", `expected a name of letters, digits, '_', '.', '-' (at most 64, starting with a letter or digit), got "churn model"`],
  },
  {
    title: "unknown top-level field with a hint",
    text: spec({}, "descripton: churn model"),
    want: [FILE, 9, 1, "descripton", `unknown field "descripton"; did you mean "description"?`],
  },
  {
    title: "unknown nested field with a hint",
    text: spec({}, "spark:", "  exector:", "    memory: 4g"),
    want: [FILE, 10, 3, "spark.exector", `unknown field "exector"; did you mean "executor"?`],
  },
  {
    title: "unknown field without a close match lists the allowed ones",
    text: spec({}, "parity:", "  zebra: 1"),
    want: [FILE, 10, 3, "parity.zebra", `unknown field "zebra" (allowed: rows, tolerance)`],
  },
  {
    title: "bad size",
    text: spec({}, "spark:", "  executor:", "    memory: lots"),
    want: [FILE, 11, 5, "spark.executor.memory", `expected a size like "512m" or "4g", got "lots"`],
  },
  {
    title: "size written as a bare number",
    text: spec({}, "spark:", "  driver: { memory: 2048 }"),
    want: [FILE, 10, 13, "spark.driver.memory", `expected a string, got 2048 (quote it to make it a string: "2048")`],
  },
  {
    title: "unknown algorithm with a hint",
    text: spec({ algorithm: "  algorithm: logistic" }),
    want: [FILE, 3, 3, "model.algorithm", `expected one of ${ALGORITHMS.map((a) => `"${a}"`).join(", ")}, got "logistic"; did you mean "logistic_regression"?`],
  },
  {
    title: "missing label: at the parent map",
    text: spec({ label: undefined }),
    want: [FILE, 2, 1, "model.label", "expected a string, got nothing (the field is required)"],
  },
  {
    title: "empty label",
    text: spec({ label: `  label: ""` }),
    want: [FILE, 4, 3, "model.label", `expected a non-empty string, got ""`],
  },
  {
    title: "missing data section: at the root",
    text: spec({ data: undefined, train: undefined }),
    want: [FILE, 1, 1, "data", "expected a map, got nothing (the field is required)"],
  },
  {
    title: "null section",
    text: spec({ train: undefined }),
    want: [FILE, 7, 1, "data", "expected a map, got nothing"],
  },
  {
    title: "undefined variable without default: at the scalar",
    text: spec({ train: "  train: ${DATA_DIR}/churn" }),
    want: [FILE, 8, 10, "data.train", "expected environment variable DATA_DIR to be set, got nothing (write ${DATA_DIR:-default} to give a default)"],
  },
  {
    title: "unterminated ${",
    text: spec({ train: `  train: "\${DATA_DIR"` }),
    want: [FILE, 8, 10, "data.train", `expected a closing } after "\${", got the end of the value (write $\${ for a literal \${)`],
  },
  {
    title: "malformed variable name",
    text: spec({ train: "  train: ${DATA DIR}" }),
    want: [FILE, 8, 10, "data.train", `expected \${NAME} or \${NAME:-default}, got "\${DATA DIR}"`],
  },
  {
    title: "unknown profile lists the available ones",
    text: spec({}, "profiles:", "  prod: { store: s3://b/p }", "  dev: { store: ./dev }"),
    opts: { profile: "prd" },
    want: [FILE, 9, 1, "profiles", `expected a profile name, got unknown profile "prd"; did you mean "prod"? (available: prod, dev)`],
  },
  {
    title: "profile asked for but none defined",
    text: spec(),
    opts: { profile: "prod" },
    want: [FILE, 0, 0, "profiles", `expected a profile name, got unknown profile "prod" (this spec defines no profiles)`],
  },
  {
    title: "profile that is not a map",
    text: spec({}, "profiles:", "  prod: s3://b/p"),
    want: [FILE, 10, 3, "profiles.prod", `expected a map (a partial spec), got "s3://b/p"`],
  },
  {
    title: "bad value from a profile points into the profile",
    text: spec({}, "spark:", "  executor: { memory: 4g }", "profiles:", "  big:", "    spark:", "      executor: { memory: huge }"),
    opts: { profile: "big" },
    want: [FILE, 14, 19, "spark.executor.memory", `expected a size like "512m" or "4g", got "huge"`],
  },
  {
    title: "--set without =",
    text: spec(),
    opts: { sets: ["spark.master"] },
    want: ["--set", 0, 0, "spark.master", `expected path=value, got "spark.master"`],
  },
  {
    title: "--set into an unknown field",
    text: spec(),
    opts: { sets: ["spark.exector.memory=4g"] },
    want: ["--set", 0, 0, "spark.exector", `unknown field "exector"; did you mean "executor"?`],
  },
  {
    title: "--set with a bad size",
    text: spec(),
    opts: { sets: ["spark.executor.memory=lots"] },
    want: ["--set", 0, 0, "spark.executor.memory", `expected a size like "512m" or "4g", got "lots"`],
  },
  {
    title: "--set with an unparsable value",
    text: spec(),
    opts: { sets: ["spark.jars=[a.jar"] },
    want: ["--set", 0, 0, "spark.jars", /^expected a YAML value, got "\[a.jar" \(/],
  },
  {
    title: "--set walking into a scalar",
    text: spec(),
    opts: { sets: ["name.first=x"] },
    want: ["--set", 0, 0, "name.first", `expected a map at name, got "churn"`],
  },
  {
    title: "unknown model param with a hint",
    text: spec({ label: "  label: churned\n  params: { maxIters: 10 }" }),
    want: [FILE, 5, 13, "model.params.maxIters", `unknown parameter "maxIters" for logistic_regression; did you mean "maxIter"?`],
  },
  {
    title: "a tree param misspelt, with a hint",
    text: spec({ algorithm: "  algorithm: random_forest_classifier", label: "  label: churned\n  params: { numTree: 10 }" }),
    want: [FILE, 5, 13, "model.params.numTree", `unknown parameter "numTree" for random_forest_classifier; did you mean "numTrees"?`],
  },
  {
    title: "a tree param of the wrong type",
    text: spec({ algorithm: "  algorithm: gbt_regressor", label: "  label: price\n  params: { maxDepth: deep }" }),
    want: [FILE, 5, 13, "model.params.maxDepth", `expected an integer, got "deep"`],
  },
  {
    title: "index encoding asked of a linear model",
    text: spec({ numeric: "    numeric: [tenure]\n    categoricalEncoding: index" }),
    want: [FILE, 7, 5, "model.features.categoricalEncoding", `expected "onehot" for logistic_regression (index is for tree algorithms, which split on categories), got "index"`],
  },
  {
    title: "unknown categorical encoding",
    text: spec({ algorithm: "  algorithm: decision_tree_classifier", numeric: "    numeric: [tenure]\n    categoricalEncoding: ordinal" }),
    want: [FILE, 7, 5, "model.features.categoricalEncoding", `expected one of "onehot", "index", got "ordinal"`],
  },
  {
    title: "a param named like an Object method is still unknown",
    text: spec({ label: "  label: churned\n  params: { toString: 1 }" }),
    want: [FILE, 5, 13, "model.params.toString", /^unknown parameter "toString" for logistic_regression \(known: maxIter, /],
  },
  {
    title: "profile misspelt at the top level",
    text: spec({}, "profile:", "  prod: { store: s3://b/p }"),
    want: [FILE, 9, 1, "profile", `unknown field "profile"; did you mean "profiles"?`],
  },
  {
    title: "model param of the wrong type",
    text: spec({ label: "  label: churned\n  params:\n    maxIter: 1.5" }),
    want: [FILE, 6, 5, "model.params.maxIter", "expected an integer, got 1.5"],
  },
  {
    title: "model param that is a map",
    text: spec({ label: "  label: churned\n  params:\n    regParam: { a: 1 }" }),
    want: [FILE, 6, 5, "model.params.regParam", "expected a string, number, boolean or array, got a map"],
  },
  {
    title: "no feature columns",
    text: spec({ numeric: "    numeric: []" }),
    want: [FILE, 5, 3, "model.features", "expected at least one column in numeric or categorical, got none"],
  },
  {
    title: "column both numeric and categorical",
    text: spec({ numeric: "    numeric: [tenure]\n    categorical: [contract, tenure]" }),
    want: [FILE, 7, 29, "model.features.categorical.1", `expected a column to be numeric or categorical, got "tenure" in both`],
  },
  {
    title: "label is also a feature",
    text: spec({ numeric: "    numeric:\n      - tenure\n      - churned" }),
    want: [FILE, 8, 9, "model.features.numeric.1", `expected feature columns other than the label, got the label "churned"`],
  },
  {
    title: "column listed twice",
    text: spec({ numeric: "    numeric: [tenure, tenure]" }),
    want: [FILE, 6, 23, "model.features.numeric.1", `expected each column once, got "tenure" twice in model.features.numeric`],
  },
  {
    title: "${VAR} unquoted inside a flow map is a syntax error with a hint",
    text: spec({}, "spark:", "  env: { PORT: ${PORT} }"),
    opts: { env: { PORT: "8080" } },
    want: [FILE, 10, 17, "", /^YAML syntax error: .*\(inside \[ \] or \{ \}, quote values that use \$\{\.\.\.\}\)$/],
  },
  {
    title: "parity.rows too small",
    text: spec({}, "parity:", "  rows: 50"),
    want: [FILE, 10, 3, "parity.rows", "expected a number >= 200, got 50"],
  },
  {
    title: "parity.tolerance too loose",
    text: spec({}, "parity: { tolerance: 0.1 }"),
    want: [FILE, 9, 11, "parity.tolerance", "expected a number <= 0.000001, got 0.1"],
  },
  {
    title: "unknown data format",
    text: spec({}, "  format: xml"),
    want: [FILE, 9, 3, "data.format", `expected one of "parquet", "csv", "json", "orc", got "xml"`],
  },
  {
    title: "validation fraction out of range",
    text: spec({}, "  validation: { fraction: 1.5 }"),
    want: [FILE, 9, 17, "data.validation.fraction", "expected a number < 1, got 1.5"],
  },
  {
    title: "executor cores not an integer",
    text: spec({}, "spark:", "  executor:", "    cores: 1.5"),
    want: [FILE, 11, 5, "spark.executor.cores", "expected an integer, got 1.5"],
  },
  {
    title: "bad Maven coordinate in a list",
    text: spec({}, "spark:", "  packages:", "    - org.apache.spark:spark-avro_2.13:4.0.0", "    - spark-avro"),
    want: [FILE, 12, 7, "spark.packages.1", `expected a Maven coordinate group:artifact:version, got "spark-avro"`],
  },
  {
    title: "conf value that is a list",
    text: spec({}, "spark:", "  conf:", "    spark.sql.shuffle.partitions: [8]"),
    want: [FILE, 11, 5, "spark.conf.spark.sql.shuffle.partitions", "expected a string, number or boolean, got a list"],
  },
  {
    title: "cluster deploy mode with a local master",
    text: spec({}, "spark:", "  deployMode: cluster"),
    want: [FILE, 10, 3, "spark.deployMode", `expected "client" with master "local[*]", got "cluster"`],
  },
  {
    title: "entrypoint with both script and jar",
    text: spec({}, "entrypoint:", "  script: train.py", "  jar: train.jar"),
    want: [FILE, 11, 3, "entrypoint.jar", "expected either entrypoint.script or entrypoint.jar, got both"],
  },
  {
    title: "entrypoint jar without mainClass",
    text: spec({}, "entrypoint:", "  jar: train.jar"),
    want: [FILE, 10, 3, "entrypoint.mainClass", "expected the class to run (e.g. com.example.Train) with entrypoint.jar, got nothing"],
  },
  {
    title: "promote gate with min above max",
    text: spec({}, "promote:", "  alias: production", "  when: { metric: rmse, min: 10, max: 5 }"),
    want: [FILE, 11, 34, "promote.when.max", "expected a number >= promote.when.min (10), got 5"],
  },
  {
    title: "promote without alias",
    text: spec({}, "promote:", "  when: { metric: areaUnderROC, min: 0.7 }"),
    want: [FILE, 9, 1, "promote.alias", "expected a string, got nothing (the field is required)"],
  },
  {
    title: "!secret on a map",
    text: spec({}, "spark: !secret { master: local }"),
    want: [FILE, 9, 16, "spark", "the !secret tag applies to string values, got a map"],
  },
  {
    title: "unknown tag",
    text: spec({}, "store: !vault s3://b/p"),
    want: [FILE, 9, 15, "store", "unknown tag !vault (mlship knows only !secret)"],
  },
  {
    title: "a secret value is never echoed",
    text: spec({}, "spark:", "  executor: { memory: '${DB_PASSWORD}' }"),
    opts: { env: { DB_PASSWORD: "hunter2hunter2" } },
    want: [FILE, 10, 15, "spark.executor.memory", `expected a size like "512m" or "4g", got a secret value`],
  },
];
