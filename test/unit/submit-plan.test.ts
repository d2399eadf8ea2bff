// buildPlan: exact spark-submit argv per cluster manager and deploy mode, options, entrypoints, env.
import { describe, expect, it } from "vitest";
import { jobJson } from "../../src/submit/index.js";
import { argvOf, makeSpec, OUT, plan, RUN_ID, warningsOf } from "../helpers/submit-fixtures.js";

const K8S_IMAGE = { "spark.kubernetes.container.image": "registry.example.com/spark-py:4.1.1" };
const JAR = { jar: "hdfs:///apps/train-assembly.jar", mainClass: "com.example.Train", args: ["--out", "{out}"] };

describe("argv per cluster manager and deploy mode", () => {
  it("local, client (the defaults)", () => {
    expect(argvOf()).toMatchInlineSnapshot(`
      [
        "/opt/spark/bin/spark-submit",
        "--master",
        "local[*]",
        "--deploy-mode",
        "client",
        "--name",
        "mlship-churn",
        "<root>/spark-scripts/mlship_train.py",
        "--job-file",
        "/tmp/mlship-run-AbCdEf/mlship-job.json",
        "--out",
        "s3a://ml-artifacts/mlship/runs/churn/20261127-080000-ab12/model",
        "--run-id",
        "20261127-080000-ab12",
      ]
    `);
  });

  it("standalone, client", () => {
    expect(argvOf({ spark: { master: "spark://spark-master:7077", totalExecutorCores: 8, executor: { cores: 2 } } }))
      .toMatchInlineSnapshot(`
        [
          "/opt/spark/bin/spark-submit",
          "--master",
          "spark://spark-master:7077",
          "--deploy-mode",
          "client",
          "--name",
          "mlship-churn",
          "--executor-cores",
          "2",
          "--total-executor-cores",
          "8",
          "<root>/spark-scripts/mlship_train.py",
          "--job-file",
          "/tmp/mlship-run-AbCdEf/mlship-job.json",
          "--out",
          "s3a://ml-artifacts/mlship/runs/churn/20261127-080000-ab12/model",
          "--run-id",
          "20261127-080000-ab12",
        ]
      `);
  });

  it("standalone, cluster (a JAR: Python cannot run in standalone cluster mode)", () => {
    expect(argvOf({ spark: { master: "spark://m1:7077,m2:7077", deployMode: "cluster" }, entrypoint: JAR }))
      .toMatchInlineSnapshot(`
        [
          "/opt/spark/bin/spark-submit",
          "--master",
          "spark://m1:7077,m2:7077",
          "--deploy-mode",
          "cluster",
          "--name",
          "mlship-churn",
          "--class",
          "com.example.Train",
          "--conf",
          "spark.standalone.submit.waitAppCompletion=true",
          "hdfs:///apps/train-assembly.jar",
          "--out",
          "s3a://ml-artifacts/mlship/runs/churn/20261127-080000-ab12/model",
        ]
      `);
  });

  it("YARN, client", () => {
    expect(argvOf({ spark: { master: "yarn", queue: "ml", executor: { instances: 4 } } }, { env: { HADOOP_CONF_DIR: "/etc/hadoop/conf" } }))
      .toMatchInlineSnapshot(`
        [
          "/opt/spark/bin/spark-submit",
          "--master",
          "yarn",
          "--deploy-mode",
          "client",
          "--name",
          "mlship-churn",
          "--num-executors",
          "4",
          "--queue",
          "ml",
          "<root>/spark-scripts/mlship_train.py",
          "--job-file",
          "/tmp/mlship-run-AbCdEf/mlship-job.json",
          "--out",
          "s3a://ml-artifacts/mlship/runs/churn/20261127-080000-ab12/model",
          "--run-id",
          "20261127-080000-ab12",
        ]
      `);
  });

  it("YARN, cluster: ships the runtime zip first in --py-files", () => {
    expect(
      argvOf(
        { spark: { master: "yarn", deployMode: "cluster", driver: { cores: 2 }, pyFiles: ["s3a://libs/helpers.zip"] } },
        { env: { HADOOP_CONF_DIR: "/etc/hadoop/conf" } },
      ),
    ).toMatchInlineSnapshot(`
      [
        "/opt/spark/bin/spark-submit",
        "--master",
        "yarn",
        "--deploy-mode",
        "cluster",
        "--name",
        "mlship-churn",
        "--driver-cores",
        "2",
        "--py-files",
        "<root>/spark-scripts/build/mlship_runtime.zip,s3a://libs/helpers.zip",
        "--files",
        "/tmp/mlship-run-AbCdEf/mlship-job.json",
        "<root>/spark-scripts/mlship_train.py",
        "--job-file",
        "mlship-job.json",
        "--out",
        "s3a://ml-artifacts/mlship/runs/churn/20261127-080000-ab12/model",
        "--run-id",
        "20261127-080000-ab12",
      ]
    `);
  });

  it("Kubernetes, client", () => {
    const conf = { ...K8S_IMAGE, "spark.driver.host": "10.0.0.5" };
    expect(argvOf({ spark: { master: "k8s://https://k8s.example.com:6443", conf } })).toMatchInlineSnapshot(`
      [
        "/opt/spark/bin/spark-submit",
        "--master",
        "k8s://https://k8s.example.com:6443",
        "--deploy-mode",
        "client",
        "--name",
        "mlship-churn",
        "--conf",
        "spark.driver.host=10.0.0.5",
        "--conf",
        "spark.kubernetes.container.image=registry.example.com/spark-py:4.1.1",
        "<root>/spark-scripts/mlship_train.py",
        "--job-file",
        "/tmp/mlship-run-AbCdEf/mlship-job.json",
        "--out",
        "s3a://ml-artifacts/mlship/runs/churn/20261127-080000-ab12/model",
        "--run-id",
        "20261127-080000-ab12",
      ]
    `);
  });

  it("Kubernetes, cluster", () => {
    const conf = { ...K8S_IMAGE, "spark.kubernetes.file.upload.path": "s3a://ml-artifacts/spark-uploads" };
    expect(
      argvOf({ spark: { master: "k8s://https://k8s.example.com:6443", deployMode: "cluster", conf, executor: { instances: 3 } } }),
    ).toMatchInlineSnapshot(`
      [
        "/opt/spark/bin/spark-submit",
        "--master",
        "k8s://https://k8s.example.com:6443",
        "--deploy-mode",
        "cluster",
        "--name",
        "mlship-churn",
        "--conf",
        "spark.kubernetes.container.image=registry.example.com/spark-py:4.1.1",
        "--conf",
        "spark.kubernetes.file.upload.path=s3a://ml-artifacts/spark-uploads",
        "--num-executors",
        "3",
        "--py-files",
        "<root>/spark-scripts/build/mlship_runtime.zip",
        "--files",
        "/tmp/mlship-run-AbCdEf/mlship-job.json",
        "<root>/spark-scripts/mlship_train.py",
        "--job-file",
        "mlship-job.json",
        "--out",
        "s3a://ml-artifacts/mlship/runs/churn/20261127-080000-ab12/model",
        "--run-id",
        "20261127-080000-ab12",
      ]
    `);
  });
});

describe("options", () => {
  it("renders every option once, in spark-submit's documented order", () => {
    const argv = argvOf(
      {
        spark: {
          master: "yarn",
          deployMode: "cluster",
          appName: "churn nightly",
          conf: { "spark.sql.shuffle.partitions": 64, "spark.dynamicAllocation.enabled": false },
          propertiesFile: "/etc/spark/ml.conf",
          driver: { memory: "4g", cores: 2, javaOptions: "-Dlog4j.configuration=file:log4j.properties -XX:+UseG1GC", classPath: "/opt/extra/*" },
          executor: { memory: "8g", cores: 4, instances: 10 },
          jars: ["hdfs:///libs/a.jar", "hdfs:///libs/b.jar"],
          packages: ["org.apache.hadoop:hadoop-aws:3.4.1", "io.delta:delta-spark_2.13:4.0.0"],
          excludePackages: ["com.google.guava:guava"],
          repositories: ["https://repo.example.com/maven"],
          pyFiles: ["hdfs:///libs/helpers.zip"],
          files: ["hdfs:///conf/log4j.properties"],
          archives: ["hdfs:///envs/venv.tar.gz#environment"],
          queue: "ml",
          principal: "mlship@EXAMPLE.COM",
          keytab: "/etc/security/mlship.keytab",
          verbose: true,
        },
      },
      { env: { YARN_CONF_DIR: "/etc/hadoop/conf" } },
    );
    expect(argv).toMatchInlineSnapshot(`
      [
        "/opt/spark/bin/spark-submit",
        "--master",
        "yarn",
        "--deploy-mode",
        "cluster",
        "--name",
        "churn nightly",
        "--conf",
        "spark.dynamicAllocation.enabled=false",
        "--conf",
        "spark.sql.shuffle.partitions=64",
        "--properties-file",
        "/etc/spark/ml.conf",
        "--driver-memory",
        "4g",
        "--driver-cores",
        "2",
        "--driver-java-options",
        "-Dlog4j.configuration=file:log4j.properties -XX:+UseG1GC",
        "--driver-class-path",
        "/opt/extra/*",
        "--executor-memory",
        "8g",
        "--executor-cores",
        "4",
        "--num-executors",
        "10",
        "--jars",
        "hdfs:///libs/a.jar,hdfs:///libs/b.jar",
        "--packages",
        "org.apache.hadoop:hadoop-aws:3.4.1,io.delta:delta-spark_2.13:4.0.0",
        "--exclude-packages",
        "com.google.guava:guava",
        "--repositories",
        "https://repo.example.com/maven",
        "--py-files",
        "<root>/spark-scripts/build/mlship_runtime.zip,hdfs:///libs/helpers.zip",
        "--files",
        "hdfs:///conf/log4j.properties,/tmp/mlship-run-AbCdEf/mlship-job.json",
        "--archives",
        "hdfs:///envs/venv.tar.gz#environment",
        "--queue",
        "ml",
        "--principal",
        "mlship@EXAMPLE.COM",
        "--keytab",
        "/etc/security/mlship.keytab",
        "--verbose",
        "<root>/spark-scripts/mlship_train.py",
        "--job-file",
        "mlship-job.json",
        "--out",
        "s3a://ml-artifacts/mlship/runs/churn/20261127-080000-ab12/model",
        "--run-id",
        "20261127-080000-ab12",
      ]
    `);
  });

  it("sorts --conf entries by key, whatever order the spec gives", () => {
    const conf = { "spark.sql.shuffle.partitions": "8", "spark.a.z": "1", "spark.B": "2", "spark.a.b": true };
    const argv = argvOf({ spark: { conf } });
    const confs = argv.flatMap((a, i) => (argv[i - 1] === "--conf" ? [a] : []));
    expect(confs).toEqual(["spark.B=2", "spark.a.b=true", "spark.a.z=1", "spark.sql.shuffle.partitions=8"]);
    expect(argvOf({ spark: { conf: Object.fromEntries(Object.entries(conf).reverse()) } })).toEqual(argv);
  });

  it("uses spark.appName for --name when given", () => {
    const argv = argvOf({ spark: { appName: "Churn model" } });
    expect(argv[argv.indexOf("--name") + 1]).toBe("Churn model");
  });

  // data.partitionColumn is sent since the driver reports its watermark (docs/updating.md); before, it was left out.
  it("passes the training part of the spec as compact JSON", () => {
    const spec = makeSpec({ parity: { rows: 500 }, description: "not sent", data: { train: "s3a://d/", partitionColumn: "day" } });
    expect(jobJson(spec)).toMatchInlineSnapshot(`"{"name":"churn","model":{"algorithm":"logistic_regression","params":{"maxIter":50},"label":"churned","features":{"numeric":["tenure"],"categorical":["contract"],"impute":"mean","scale":false,"categoricalEncoding":"onehot"}},"data":{"train":"s3a://d/","format":"parquet","options":{},"validation":{"fraction":0.2,"seed":42},"partitionColumn":"day"},"parity":{"rows":500}}"`);
  });

  // data.validation.key is sent only when set (the trainer hashes that column alone); data.new never (update reads it).
  it("sends data.validation.key when set, and never data.new", () => {
    const spec = makeSpec({ data: { train: "d/", validation: { fraction: 0.2, seed: 42, key: "customer_id" }, new: "d/day=2*" } });
    const data = JSON.parse(jobJson(spec)).data;
    expect(data.validation).toEqual({ fraction: 0.2, seed: 42, key: "customer_id" });
    expect(data).not.toHaveProperty("new");
  });
});

describe("categorical encoding in the job JSON", () => {
  const encodingOf = (model: Record<string, unknown>) => JSON.parse(jobJson(makeSpec({ model: { ...makeSpec().model, ...model } }))).model.features.categoricalEncoding;

  it("defaults to index for tree algorithms and onehot for the others", () => {
    expect(encodingOf({ algorithm: "random_forest_classifier" })).toBe("index");
    expect(encodingOf({ algorithm: "gbt_regressor" })).toBe("index");
    expect(encodingOf({ algorithm: "logistic_regression" })).toBe("onehot");
  });

  it("passes an explicit choice through", () => {
    const features = { ...makeSpec().model.features, categoricalEncoding: "onehot" };
    expect(encodingOf({ algorithm: "decision_tree_classifier", features })).toBe("onehot");
  });
});

describe("entrypoints", () => {
  it("a user PySpark script gets its args with {out} and {runId} substituted", () => {
    const entrypoint = { script: "jobs/train_custom.py", args: ["--output={out}", "--tag", "run-{runId}", "{unknown}"] };
    expect(argvOf({ entrypoint }).slice(-5)).toEqual([
      "jobs/train_custom.py",
      `--output=${OUT}`,
      "--tag",
      `run-${RUN_ID}`,
      "{unknown}",
    ]);
  });

  it("a user JAR runs with --class and no runtime zip, even in cluster mode", () => {
    const argv = argvOf({ spark: { master: "yarn", deployMode: "cluster" }, entrypoint: JAR }, { env: { HADOOP_CONF_DIR: "/c" } });
    expect(argv).toMatchInlineSnapshot(`
      [
        "/opt/spark/bin/spark-submit",
        "--master",
        "yarn",
        "--deploy-mode",
        "cluster",
        "--name",
        "mlship-churn",
        "--class",
        "com.example.Train",
        "hdfs:///apps/train-assembly.jar",
        "--out",
        "s3a://ml-artifacts/mlship/runs/churn/20261127-080000-ab12/model",
      ]
    `);
    expect(argv.join(" ")).not.toContain("mlship_runtime.zip");
  });

  it("a user script in cluster mode gets no runtime zip (it ships its own --py-files)", () => {
    const argv = argvOf(
      { spark: { master: "yarn", deployMode: "cluster" }, entrypoint: { script: "s3a://code/train.py" } },
      { env: { HADOOP_CONF_DIR: "/c" } },
    );
    expect(argv).not.toContain("--py-files");
  });
});

describe("environment for the child", () => {
  it("holds spark.env plus PYSPARK_* from the input env, nothing else", () => {
    const r = plan(
      { spark: { env: { TZ: "UTC", PYSPARK_PYTHON: "/opt/py/bin/python", SPARK_SUBMIT_OPTS: "-Dx=1" } } },
      { env: { PYSPARK_PYTHON: "/usr/bin/python3", PYSPARK_DRIVER_PYTHON: "/usr/bin/python3", HOME: "/root", AWS_SECRET_ACCESS_KEY: "x" } },
    );
    expect(r.ok && r.plan.env).toEqual({ PYSPARK_DRIVER_PYTHON: "/usr/bin/python3", PYSPARK_PYTHON: "/opt/py/bin/python", SPARK_SUBMIT_OPTS: "-Dx=1", TZ: "UTC" });
  });

  it("does not invent PYSPARK_PYTHON; quiets the built-in driver's log4j unless SPARK_SUBMIT_OPTS is set", () => {
    const r = plan({}, { env: { PATH: "/usr/bin" } });
    expect(r.ok && r.plan.env).toEqual({ SPARK_SUBMIT_OPTS: "-Dlog4j2.configurationFile=file:/opt/mlship-checkout/spark-scripts/conf/log4j2.properties" });
    const own = plan({}, { env: { SPARK_SUBMIT_OPTS: "-Dmine" } });
    expect(own.ok && own.plan.env).toEqual({});
    const cluster = plan({ spark: { master: "yarn", deployMode: "cluster" } }, { env: { HADOOP_CONF_DIR: "/etc/hadoop" } });
    expect(cluster.ok && cluster.plan.env).toEqual({});
  });

  it("a clean local plan has no warnings", () => {
    expect(warningsOf()).toEqual([]);
  });
});
