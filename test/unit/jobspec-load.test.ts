// loadSpec on good specs: file reading, interpolation, profiles, --set, secrets, store resolution.
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { interpolateString, loadSpec, resolveStore, secretEnvValues, type LoadOptions } from "../../src/jobspec/index.js";

const FILE = "jobs/churn.yaml";

const MINIMAL = `
name: churn
model:
  algorithm: logistic_regression
  label: churned
  features:
    numeric: [tenure]
data:
  train: data/churn/
`;

// loadSpec over inline text.
const load = (text: string, opts: Partial<LoadOptions> = {}) => loadSpec({ file: FILE, text, env: {}, ...opts });

describe("reading the file", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "mlship-spec-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("reads the file, hashes its raw text and applies defaults", async () => {
    const file = path.join(dir, "churn.yaml");
    const text = `# churn model\n${MINIMAL}`;
    await writeFile(file, text);
    const loaded = await loadSpec({ file, env: {} });
    expect(loaded.file).toBe(file);
    expect(loaded.sha256).toBe(createHash("sha256").update(text).digest("hex"));
    expect(loaded.secrets).toEqual([]);
    expect(loaded.profile).toBeUndefined();
    expect(loaded.spec).toMatchObject({
      name: "churn",
      model: { algorithm: "logistic_regression", params: {}, label: "churned", features: { numeric: ["tenure"], categorical: [], impute: "mean", scale: false } },
      data: { train: "data/churn/", format: "parquet", options: {}, validation: { fraction: 0.2, seed: 42 } },
      spark: { master: "local[*]", deployMode: "client", conf: {}, jars: [], verbose: false },
      parity: { rows: 1000, tolerance: 1e-9 },
    });
  });

  it("reads from path but reports file as given", async () => {
    await writeFile(path.join(dir, "named.yaml"), MINIMAL);
    const loaded = await loadSpec({ file: "jobs/named.yaml", path: path.join(dir, "named.yaml"), env: {} });
    expect(loaded.file).toBe("jobs/named.yaml");
    await expect(loadSpec({ file: "jobs/gone.yaml", path: path.join(dir, "gone.yaml"), env: {} })).rejects.toThrow(
      "jobs/gone.yaml: cannot read the spec file: no such file",
    );
  });

  it("the text option skips the file and hashes the text", async () => {
    const loaded = await load(MINIMAL);
    expect(loaded.sha256).toBe(createHash("sha256").update(MINIMAL).digest("hex"));
  });

  it("supports anchors, aliases and << merge keys", async () => {
    const loaded = await load(`${MINIMAL}
spark:
  driver: &small { memory: 1g, cores: 1 }
  executor:
    <<: *small
    memory: 2g
`);
    expect(loaded.spec.spark.driver).toEqual({ memory: "1g", cores: 1 });
    expect(loaded.spec.spark.executor).toEqual({ memory: "2g", cores: 1 });
  });
});

describe("interpolation", () => {
  it.each([
    ["plain", "${A}", { A: "x" }, "x"],
    ["inside a string", "s3a://${BUCKET}/churn/${DAY}", { BUCKET: "b", DAY: "2026-11-27" }, "s3a://b/churn/2026-11-27"],
    ["default when unset", "${A:-fallback}", {}, "fallback"],
    ["default when empty (like the shell)", "${A:-fallback}", { A: "" }, "fallback"],
    ["empty value without default", "x${A}y", { A: "" }, "xy"],
    ["default may contain colons and slashes", "${STORE:-s3://b/p}", {}, "s3://b/p"],
    ["$${ is a literal ${", "$${A} and $$ and $A", { A: "x" }, "${A} and $$ and $A"],
  ])("%s", (_title, input, env, want) => {
    const r = interpolateString(input, env);
    expect(r.problems).toEqual([]);
    expect(r.text).toBe(want);
  });

  it("interpolates string values across the spec, with defaults", async () => {
    const loaded = await load(`
name: \${JOB:-churn}
model:
  algorithm: logistic_regression
  label: churned
  features:
    numeric: [tenure]
data:
  train: \${DATA_ROOT}/churn/
  options: { header: "\${HEADER:-true}" }
store: \${MLSHIP_STORE:-./mlship-store}
`, { env: { DATA_ROOT: "s3a://data" } });
    expect(loaded.spec.name).toBe("churn");
    expect(loaded.spec.data.train).toBe("s3a://data/churn/");
    expect(loaded.spec.data.options).toEqual({ header: "true" }); // quoted: stays a string
    expect(loaded.spec.store).toBe("./mlship-store");
  });

  it("a whole unquoted ${VAR} is re-read as a YAML scalar, except where a string is expected", async () => {
    const loaded = await load(`${MINIMAL.replace("name: churn", "name: ${JOB}")}
spark:
  executor:
    instances: \${N}
    memory: \${MEM}
  conf:
    spark.sql.shuffle.partitions: \${PARTS}
    spark.eventLog.enabled: \${EVENTS}
  env:
    PORT: \${PORT}
parity:
  rows: \${ROWS}
`, { env: { JOB: "2024", N: "4", MEM: "4096", PARTS: "8", EVENTS: "true", PORT: "8080", ROWS: "500" } });
    expect(loaded.spec.name).toBe("2024");
    expect(loaded.spec.spark.executor).toEqual({ instances: 4, memory: "4096" });
    expect(loaded.spec.spark.conf).toEqual({ "spark.sql.shuffle.partitions": 8, "spark.eventLog.enabled": true });
    expect(loaded.spec.spark.env).toEqual({ PORT: "8080" });
    expect(loaded.spec.parity.rows).toBe(500);
    // quoted means string, even where a number is expected
    await expect(load(`${MINIMAL}  validation: { fraction: "\${F}" }\n`, { env: { F: "0.3" } })).rejects.toThrow(
      `jobs/churn.yaml:10:17 data.validation.fraction: expected a number, got "0.3"`,
    );
  });

  it("does not interpolate profiles that were not asked for", async () => {
    const loaded = await load(`${MINIMAL}
profiles:
  prod:
    store: \${PROD_STORE}
`);
    expect(loaded.spec.store).toBeUndefined();
  });
});

describe("profiles", () => {
  const text = `${MINIMAL}
spark:
  master: local[2]
  conf:
    spark.sql.shuffle.partitions: "8"
    spark.ui.enabled: false
  executor: { memory: 2g, cores: 2 }
  jars: [base.jar, extra.jar]
store: ./local-store
profiles:
  prod:
    spark:
      master: spark://spark-master:7077
      conf:
        spark.sql.shuffle.partitions: "200"
      executor: { memory: 8g }
      jars: [prod.jar]
    store: s3://ml-artifacts/mlship
  dev: {}
  empty:
`;

  it("without --profile, profiles are ignored and removed", async () => {
    const loaded = await load(text);
    expect(loaded.spec.spark.master).toBe("local[2]");
    expect(loaded.spec).not.toHaveProperty("profiles");
  });

  it("deep-merges maps, replaces lists and scalars", async () => {
    const loaded = await load(text, { profile: "prod" });
    expect(loaded.profile).toBe("prod");
    expect(loaded.spec).not.toHaveProperty("profiles");
    expect(loaded.spec.spark.master).toBe("spark://spark-master:7077");
    expect(loaded.spec.spark.conf).toEqual({ "spark.sql.shuffle.partitions": "200", "spark.ui.enabled": false });
    expect(loaded.spec.spark.executor).toEqual({ memory: "8g", cores: 2 });
    expect(loaded.spec.spark.jars).toEqual(["prod.jar"]);
    expect(loaded.spec.store).toBe("s3://ml-artifacts/mlship");
  });

  it("an empty profile changes nothing", async () => {
    const base = await load(text);
    expect((await load(text, { profile: "dev" })).spec).toEqual(base.spec);
    expect((await load(text, { profile: "empty" })).spec).toEqual(base.spec);
  });
});

describe("--set", () => {
  it("sets conf keys that contain dots, params, lists and nested fields", async () => {
    const loaded = await load(MINIMAL, {
      sets: [
        "spark.conf.spark.sql.shuffle.partitions=8",
        "spark.conf.spark.driver.extraJavaOptions=-Dlog4j.configuration=file:log4j.properties",
        "model.params.maxIter=50",
        "model.params.regParam=0.01",
        "spark.jars=[a.jar, b.jar]",
        "spark.executor.memory=4g",
        "data.options.compression=snappy",
        "spark.env.SPARK_LOCAL_IP=127.0.0.1",
      ],
    });
    expect(loaded.spec.spark.conf).toEqual({
      "spark.sql.shuffle.partitions": 8,
      "spark.driver.extraJavaOptions": "-Dlog4j.configuration=file:log4j.properties",
    });
    expect(loaded.spec.model.params).toEqual({ maxIter: 50, regParam: 0.01 });
    expect(loaded.spec.spark.jars).toEqual(["a.jar", "b.jar"]);
    expect(loaded.spec.spark.executor.memory).toBe("4g");
    expect(loaded.spec.data.options).toEqual({ compression: "snappy" });
    expect(loaded.spec.spark.env).toEqual({ SPARK_LOCAL_IP: "127.0.0.1" });
  });

  it("applies after the profile, later sets win, numbers become strings where strings are expected", async () => {
    const loaded = await load(`${MINIMAL}
spark:
  jars: [a.jar, b.jar]
profiles:
  prod:
    spark: { master: "spark://m:7077" }
`, { profile: "prod", sets: ["spark.master=local[4]", "spark.master=local[8]", "spark.jars.1=c.jar", "name=2024", "spark.driver.memory=2048"] });
    expect(loaded.spec.spark.master).toBe("local[8]");
    expect(loaded.spec.spark.jars).toEqual(["a.jar", "c.jar"]);
    expect(loaded.spec.name).toBe("2024");
    expect(loaded.spec.spark.driver.memory).toBe("2048");
  });
});

describe("secrets", () => {
  it("collects !secret values and values from secret-named env variables", async () => {
    const loaded = await load(`${MINIMAL}
  options:
    user: \${DB_USER}
    password: \${DB_PASSWORD}
    url: "jdbc:postgresql://db/\${DB_NAME}?token=\${API_TOKEN}"
    sessionKey: !secret s3cr3t-value
    tagged: !secret \${DB_USER}
`, { env: { DB_USER: "alice", DB_PASSWORD: "hunter2hunter2", DB_NAME: "churn", API_TOKEN: "tok-123456" } });
    expect(loaded.spec.data.options).toEqual({
      user: "alice",
      password: "hunter2hunter2",
      url: "jdbc:postgresql://db/churn?token=tok-123456",
      sessionKey: "s3cr3t-value",
      tagged: "alice",
    });
    expect(loaded.secrets).toEqual(["hunter2hunter2", "s3cr3t-value", "tok-123456", "alice"]);
  });

  it("a !secret number stays a string", async () => {
    const loaded = await load(`${MINIMAL}  options: { pin: !secret 123456 }\n`);
    expect(loaded.spec.data.options).toEqual({ pin: "123456" });
    expect(loaded.secrets).toEqual(["123456"]);
  });

  it("secretEnvValues: secret-looking names, at least 4 characters, longest first", () => {
    expect(
      secretEnvValues({
        AWS_SECRET_ACCESS_KEY: "wJalrXUtnFEMI/K7MDENG",
        AWS_ACCESS_KEY_ID: "AKIAEXAMPLE",
        GITHUB_TOKEN: "ghp_abcdef",
        db_password: "pw12",
        GCP_CREDENTIALS: "{}",
        PIN_KEY: "123",
        HOME: "/home/alice",
        UNSET_TOKEN: undefined,
        DUPLICATE_SECRET: "ghp_abcdef",
      }),
    ).toEqual(["wJalrXUtnFEMI/K7MDENG", "AKIAEXAMPLE", "ghp_abcdef", "pw12"]);
  });
});

describe("resolveStore", () => {
  const cwd = "/work/project";
  it.each([
    ["--store wins", { flag: "/flag/store", env: { MLSHIP_STORE: "/env/store" }, spec: { store: "/spec/store" } }, "/flag/store"],
    ["then MLSHIP_STORE", { env: { MLSHIP_STORE: "s3://env-bucket/p" }, spec: { store: "/spec/store" } }, "s3://env-bucket/p"],
    ["then the spec", { env: {}, spec: { store: "stores/churn" } }, "/work/project/stores/churn"],
    ["then ./mlship-store", { env: {}, spec: {} }, "/work/project/mlship-store"],
    ["empty values count as unset", { flag: "", env: { MLSHIP_STORE: "" }, spec: { store: "" } }, "/work/project/mlship-store"],
    ["relative flag resolved against cwd", { flag: "../shared", env: {} }, "/work/shared"],
  ])("%s", (_title, opts, want) => {
    expect(resolveStore({ ...opts, cwd })).toBe(want);
  });
});

describe("real specs", () => {
  const root = new URL("../../", import.meta.url);

  it("the example at the top of docs/spec.md loads, with and without its profile", async () => {
    const doc = readFileSync(new URL("docs/spec.md", root), "utf8");
    const example = /```yaml\n([\s\S]*?)```/.exec(doc)?.[1] ?? "";
    const base = await load(example);
    expect(base.spec.spark.master).toBe("local[*]");
    expect(base.spec.store).toBe("./mlship-store");
    const prod = await load(example, { profile: "prod" });
    expect(prod.spec.spark.master).toBe("spark://spark-master:7077");
    expect(prod.spec.spark.executor).toEqual({ memory: "4g", cores: 2 });
    expect(prod.spec.spark.driver).toEqual({ memory: "2g" });
  });

  const jobs = readdirSync(new URL("jobs/", root)).filter((f) => f.endsWith(".yaml"));
  it.each(jobs)("jobs/%s loads", async (name) => {
    const text = readFileSync(new URL(`jobs/${name}`, root), "utf8");
    const loaded = await loadSpec({ file: `jobs/${name}`, text, env: {} });
    expect(loaded.spec.name).toMatch(/\S/);
  });
});
