// buildPlan rules: every violation is a problem at the spec's dotted path; oddities are warnings.
import { describe, expect, it } from "vitest";
import { plan, warningsOf } from "../helpers/submit-fixtures.js";

const YARN_ENV = { env: { HADOOP_CONF_DIR: "/etc/hadoop/conf" } };
const K8S = "k8s://https://k8s.example.com:6443";
const IMAGE = { "spark.kubernetes.container.image": "spark-py:4.1.1" };
const UPLOAD = { "spark.kubernetes.file.upload.path": "s3a://b/uploads" };
const STANDALONE = "spark://spark-master:7077";

type Case = [string, Record<string, unknown>, { path: string; message: string }[], Parameters<typeof plan>[1]?];

const has = (path: string, fragment: string) => ({ path, message: expect.stringContaining(fragment) as string });

const problemCases: Case[] = [
  // masters
  ["mesos is gone in Spark 4", { spark: { master: "mesos://m:5050" } }, [has("spark.master", "Mesos support was removed in Spark 4")]],
  ["yarn-cluster master", { spark: { master: "yarn-cluster" } }, [has("spark.master", "use master: yarn with deployMode: cluster")]],
  ["unknown master", { spark: { master: "spark-master:7077" } }, [has("spark.master", 'unknown master "spark-master:7077"')]],
  ["standalone without a port", { spark: { master: "spark://spark-master" } }, [has("spark.master", "is not spark://host:port")]],
  ["local with zero threads", { spark: { master: "local[0]" } }, [has("spark.master", "0 threads")]],
  ["malformed local", { spark: { master: "local[two]" } }, [has("spark.master", 'cannot parse "local[two]"')]],
  ["k8s without a host", { spark: { master: "k8s://" } }, [has("spark.master", "is not k8s://https://host:port")]],
  ["Spark Connect URL", { spark: { master: "sc://localhost:15002" } }, [has("spark.master", "Spark Connect URL")]],
  // deploy mode
  ["cluster mode with a local master", { spark: { deployMode: "cluster" } }, [has("spark.deployMode", "not compatible with a local master")]],
  [
    "Python in cluster mode on standalone",
    { spark: { master: STANDALONE, deployMode: "cluster" } },
    [has("spark.deployMode", "cluster deploy mode for Python applications on standalone")],
  ],
  [
    "a user script in cluster mode on standalone",
    { spark: { master: STANDALONE, deployMode: "cluster" }, entrypoint: { script: "s3a://code/train.py" } },
    [has("spark.deployMode", "Python applications on standalone")],
  ],
  ["driver cores in client mode on YARN", { spark: { master: "yarn", driver: { cores: 2 } } }, [has("spark.driver.cores", "only in cluster deploy mode")], YARN_ENV],
  ["driver cores in client mode on standalone", { spark: { master: STANDALONE, driver: { cores: 2 } } }, [has("spark.driver.cores", "set deployMode: cluster")]],
  // manager-only options
  [
    "num-executors on standalone",
    { spark: { master: STANDALONE, executor: { instances: 4 } } },
    [has("spark.executor.instances", "applies only to YARN and Kubernetes, not to a standalone cluster (spark://); on a standalone cluster set spark.totalExecutorCores")],
  ],
  [
    "total-executor-cores on YARN",
    { spark: { master: "yarn", totalExecutorCores: 16 } },
    [has("spark.totalExecutorCores", "applies only to standalone clusters, not to YARN; on YARN set spark.executor.instances")],
    YARN_ENV,
  ],
  [
    "total-executor-cores on Kubernetes",
    { spark: { master: K8S, deployMode: "cluster", totalExecutorCores: 16, conf: { ...IMAGE, ...UPLOAD } } },
    [has("spark.totalExecutorCores", "not to Kubernetes")],
  ],
  ["queue on standalone", { spark: { master: STANDALONE, queue: "ml" } }, [has("spark.queue", "--queue applies only to YARN")]],
  ["queue on Kubernetes", { spark: { master: K8S, queue: "ml", conf: { ...IMAGE, "spark.driver.host": "h" } } }, [has("spark.queue", "not to Kubernetes")]],
  [
    "principal and keytab on standalone",
    { spark: { master: STANDALONE, principal: "p@R", keytab: "/k.keytab" } },
    [has("spark.principal", "--principal applies only to YARN and Kubernetes"), has("spark.keytab", "--keytab applies only to YARN and Kubernetes")],
  ],
  // kerberos pairs
  ["keytab without principal", { spark: { master: "yarn", keytab: "/k.keytab" } }, [has("spark.principal", "spark.keytab needs spark.principal")], YARN_ENV],
  ["principal without keytab", { spark: { master: "yarn", principal: "p@R" } }, [has("spark.keytab", "spark.principal needs spark.keytab")], YARN_ENV],
  [
    "proxy user with principal",
    { spark: { master: "yarn", principal: "p@R", keytab: "/k.keytab", proxyUser: "alice" } },
    [has("spark.proxyUser", "does not work with --principal / --keytab")],
    YARN_ENV,
  ],
  // kubernetes
  ["Kubernetes without an image", { spark: { master: K8S, conf: { "spark.driver.host": "h" } } }, [has("spark.conf", "spark.kubernetes.container.image")]],
  [
    "Kubernetes cluster mode with only an executor image",
    { spark: { master: K8S, deployMode: "cluster", conf: { "spark.kubernetes.executor.container.image": "x", ...UPLOAD } } },
    [has("spark.conf", "needs a container image")],
  ],
  [
    "Kubernetes cluster mode shipping local files without an upload path",
    { spark: { master: K8S, deployMode: "cluster", conf: IMAGE } },
    [has("spark.conf", "ships local files (<root>/spark-scripts/mlship_train.py, <root>/spark-scripts/build/mlship_runtime.zip, /tmp/mlship-run-AbCdEf/mlship-job.json) through \"spark.kubernetes.file.upload.path\"")],
  ],
  // entrypoints
  ["script and jar together", { entrypoint: { script: "a.py", jar: "a.jar", mainClass: "A" } }, [has("entrypoint", "either script or jar, not both")]],
  ["neither script nor jar", { entrypoint: { args: ["x"] } }, [has("entrypoint", "give script (a .py file) or jar")]],
  ["a jar without mainClass", { entrypoint: { jar: "a.jar" } }, [has("entrypoint.mainClass", "entrypoint.jar needs mainClass")]],
  ["mainClass with a script", { entrypoint: { script: "a.py", mainClass: "A" } }, [has("entrypoint.mainClass", "applies only to entrypoint.jar")]],
  ["a script that is not Python", { entrypoint: { script: "train.R" } }, [has("entrypoint.script", "ending in .py")]],
  ["py-files with a jar", { entrypoint: { jar: "a.jar", mainClass: "A" }, spark: { pyFiles: ["x.zip"] } }, [has("spark.pyFiles", "--py-files is for Python applications")]],
  // names and separators
  ["an env name the shell cannot carry", { spark: { env: { "MY-VAR": "1" } } }, [has("spark.env", '"MY-VAR" is not an environment variable name')]],
  ["a comma inside a list entry", { spark: { jars: ["ok.jar", "a,b.jar"] } }, [has("spark.jars.1", "contains a comma")]],
];

describe("problems", () => {
  it.each(problemCases)("%s", (_name, over, expected, opts) => {
    const r = plan(over, opts);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const masked = r.problems.map((p) => ({ ...p, message: p.message.replaceAll("/opt/mlship-checkout", "<root>") }));
    expect(masked).toEqual(expected);
  });

  it("reports every problem at once", () => {
    const r = plan({
      spark: { master: STANDALONE, deployMode: "cluster", executor: { instances: 2 }, queue: "q", keytab: "/k", env: { "A B": "x" } },
      entrypoint: { jar: "a.jar" },
    });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems.map((p) => p.path)).toEqual([
      "entrypoint.mainClass",
      "spark.executor.instances",
      "spark.queue",
      "spark.keytab",
      "spark.principal",
      "spark.env",
    ]);
  });

  it("with a properties file, missing Kubernetes confs become warnings (the file may set them)", () => {
    const r = plan({ spark: { master: K8S, deployMode: "cluster", propertiesFile: "/etc/spark/k8s.conf" } });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.plan.warnings.map((w) => w.replaceAll("/opt/mlship-checkout", "<root>"))).toMatchInlineSnapshot(`
      [
        "spark.conf: Kubernetes needs a container image with Spark (and Python for PySpark): set "spark.kubernetes.container.image" (or "spark.kubernetes.driver.container.image" and "spark.kubernetes.executor.container.image") (unless /etc/spark/k8s.conf sets it)",
        "spark.conf: Kubernetes cluster mode ships local files (<root>/spark-scripts/mlship_train.py, <root>/spark-scripts/build/mlship_runtime.zip, /tmp/mlship-run-AbCdEf/mlship-job.json) through "spark.kubernetes.file.upload.path": set it to a location this machine and the pods both reach (e.g. s3a://bucket/spark-uploads), or use local:// paths inside the image (unless /etc/spark/k8s.conf sets it)",
      ]
    `);
  });

  it("allows principal and keytab on Kubernetes and with a local master", () => {
    const kerberos = { principal: "p@R", keytab: "/k.keytab" };
    expect(plan({ spark: { ...kerberos } }).ok).toBe(true);
    expect(plan({ spark: { master: K8S, conf: { ...IMAGE, "spark.driver.host": "h" }, ...kerberos } }).ok).toBe(true);
  });

  it("accepts every documented master form", () => {
    const masters = ["local", "local[4]", "local[*]", "local[4,2]", "local[*, 3]", "local-cluster[2,1,1024]", STANDALONE, "spark://a:7077,b:7077", "yarn", K8S, "k8s://k8s.example.com:443"];
    for (const master of masters) {
      const conf = master.startsWith("k8s") ? { ...IMAGE, "spark.driver.host": "h" } : {};
      const r = plan({ spark: { master, conf } }, YARN_ENV);
      expect([master, r.ok]).toEqual([master, true]);
    }
  });
});

describe("warnings", () => {
  type WarnCase = [string, Record<string, unknown>, string[], Parameters<typeof plan>[1]?];
  const warnCases: WarnCase[] = [
    [
      "executor settings with a local master",
      { spark: { executor: { memory: "4g", cores: 2, instances: 3 }, totalExecutorCores: 8, queue: "q" } },
      [
        "spark.executor.memory is ignored with a local master (executors run inside the driver; size it with spark.driver.memory)",
        "spark.executor.cores is ignored with a local master (the thread count comes from the master, e.g. local[4])",
        "spark.executor.instances is ignored with a local master (a local master runs one executor inside the driver)",
        "spark.totalExecutorCores is ignored with a local master (the thread count comes from the master, e.g. local[4])",
        "spark.queue is ignored with a local master (there is no scheduler queue without YARN)",
      ],
    ],
    [
      "driver cores with a local master",
      { spark: { driver: { cores: 2 } } },
      ["spark.driver.cores is ignored with a local master: --driver-cores applies only in cluster deploy mode (in client mode the driver is the spark-submit process)"],
    ],
    [
      "YARN without HADOOP_CONF_DIR or YARN_CONF_DIR",
      { spark: { master: "yarn" } },
      ["spark.master is yarn but neither HADOOP_CONF_DIR nor YARN_CONF_DIR is set; spark-submit fails unless $SPARK_HOME/conf/spark-env.sh sets one (or set it in spark.env)"],
      { env: {} },
    ],
    [
      "Kubernetes client mode without spark.driver.host",
      { spark: { master: K8S, conf: IMAGE } },
      ['Kubernetes in client mode: executor pods must connect back to the driver on this machine; set spark.conf "spark.driver.host" to an address the pods reach, or use deployMode: cluster'],
    ],
    [
      "conf keys Spark ignores or options override",
      { spark: { conf: { "fs.s3a.endpoint": "x", "spark.master": "yarn", "spark.executor.memory": "1g" }, executor: { memory: "2g" } } },
      [
        'spark.conf "fs.s3a.endpoint" is not a Spark property and spark-submit ignores it (Hadoop settings go as "spark.hadoop.fs.s3a.endpoint")',
        'spark.conf "spark.executor.memory" is overridden by --executor-memory (from spark.executor.memory); set only spark.executor.memory',
        'spark.conf "spark.master" is overridden by --master (from spark.master); set only spark.master',
        "spark.executor.memory is ignored with a local master (executors run inside the driver; size it with spark.driver.memory)",
      ],
    ],
    [
      "local data and output with a cluster",
      { spark: { master: "yarn" }, data: { train: "data/churn/" } },
      [
        "the run output file:///srv/mlship-store/runs/churn/r/model is on this machine's disk; Spark's executors write it on theirs unless it is a shared filesystem mounted at the same path on every node; use s3a:// or hdfs://",
        'data.train "data/churn/" is a local path; executors read it from their own disks unless it is a shared filesystem mounted at the same path on every node; use s3a:// or hdfs://',
      ],
      { env: { HADOOP_CONF_DIR: "/c" }, outUri: "file:///srv/mlship-store/runs/churn/r/model" },
    ],
    [
      "spark.env in cluster mode",
      { spark: { master: "yarn", deployMode: "cluster", env: { TZ: "UTC" } } },
      [
        'spark.env reaches spark-submit only; in cluster mode the driver runs elsewhere: use spark.conf "spark.yarn.appMasterEnv.<NAME>" (driver) and spark.conf "spark.executorEnv.<NAME>" (executors)',
        // Since the Python-environment rules (issue 12 item 7): a YARN cluster-mode run that ships no environment says so.
        "YARN cluster deploy mode: the remote driver runs the nodes' python3, which needs numpy, pyarrow and the cluster's pyspark; nothing ships them: set spark.pythonEnv { archive: <packed venv URI>, python: ./environment/bin/python } (see docs/operations.md \"Python environment\")",
      ],
      YARN_ENV,
    ],
  ];

  it.each(warnCases)("%s", (_name, over, expected, opts) => {
    expect(warningsOf(over, opts).sort()).toEqual([...expected].sort());
  });
});
