// Cluster deploy mode: spark-submit waits for the driver (standalone gets waitAppCompletion unless the spec set it),
// and a wait turned off is a warning naming how mlship follows the driver instead.
import { describe, expect, it } from "vitest";
import { argvOf, warningsOf } from "../helpers/submit-fixtures.js";

const JAR = { jar: "hdfs:///apps/train.jar", mainClass: "com.example.Train" };
const K8S = { "spark.kubernetes.container.image": "registry.example.com/spark:4.1.1" };
const wait = (argv: string[]) => argv.filter((a) => a.includes("waitAppCompletion"));

describe("the submitter waits for a cluster-mode driver", () => {
  it("standalone cluster mode gets spark.standalone.submit.waitAppCompletion=true", () => {
    expect(wait(argvOf({ spark: { master: "spark://m:7077", deployMode: "cluster" }, entrypoint: JAR }))).toEqual(["spark.standalone.submit.waitAppCompletion=true"]);
  });
  it("not in client mode, nor on YARN or Kubernetes (they wait by default)", () => {
    expect(wait(argvOf({ spark: { master: "spark://m:7077" } }))).toEqual([]);
    expect(wait(argvOf({ spark: { master: "yarn", deployMode: "cluster" } }, { env: { HADOOP_CONF_DIR: "/etc/hadoop" } }))).toEqual([]);
    expect(wait(argvOf({ spark: { master: "k8s://https://api:6443", deployMode: "cluster", conf: K8S }, entrypoint: { ...JAR, jar: "local:///opt/train.jar" } }))).toEqual([]);
  });
  it("the spec's own value wins, with a warning that mlship then polls", () => {
    const over = { spark: { master: "spark://m:6066", deployMode: "cluster", conf: { "spark.standalone.submit.waitAppCompletion": false } }, entrypoint: JAR };
    expect(wait(argvOf(over))).toEqual(["spark.standalone.submit.waitAppCompletion=false"]);
    expect(warningsOf(over)).toEqual([expect.stringMatching(/waitAppCompletion=false: spark-submit returns while the driver runs, so mlship polls .*REST server/)]);
    const yarn = { spark: { master: "yarn", deployMode: "cluster", conf: { "spark.yarn.submit.waitAppCompletion": "false" } } };
    expect(warningsOf(yarn, { env: { HADOOP_CONF_DIR: "/etc/hadoop" } })).toContainEqual(expect.stringMatching(/yarn application -status/));
  });
});
