// Classifies a --master URL into the cluster manager it selects, as spark-submit 4 does.

export type ClusterManager = "local" | "standalone" | "yarn" | "kubernetes";

export type MasterResult = { ok: true; manager: ClusterManager } | { ok: false; message: string };

const EXPECTED =
  'expected local, local[N], local[*], local[N,F], spark://host:port[,host:port], yarn or k8s://https://host:port';

// Spark's own local master forms (SparkContext's LOCAL_N_REGEX, LOCAL_N_FAILURES_REGEX, LOCAL_CLUSTER_REGEX).
const LOCAL_N = /^local\[(\d+|\*)\]$/;
const LOCAL_N_FAILURES = /^local\[(\d+|\*)\s*,\s*(\d+)\]$/;
const LOCAL_CLUSTER = /^local-cluster\[\s*\d+\s*,\s*\d+\s*,\s*\d+\s*\]$/;
const STANDALONE_HOST = /^[^\s,/]+:\d+$/;
const K8S = /^k8s:\/\/(https?:\/\/)?[^\s/:]+(:\d+)?(\/\S*)?$/;

// Returns the cluster manager for a master URL, or why spark-submit would reject it.
export function classifyMaster(master: string): MasterResult {
  if (master === "local") return { ok: true, manager: "local" };
  const n = LOCAL_N.exec(master) ?? LOCAL_N_FAILURES.exec(master);
  if (n) {
    return n[1] === "0"
      ? { ok: false, message: `"${master}" asks for 0 threads; use local[1] or more, or local[*]` }
      : { ok: true, manager: "local" };
  }
  if (LOCAL_CLUSTER.test(master)) return { ok: true, manager: "local" };
  if (master.startsWith("local")) return { ok: false, message: `cannot parse "${master}"; ${EXPECTED}` };

  if (master.startsWith("spark://")) {
    const hosts = master.slice("spark://".length).split(",");
    return hosts.every((h) => STANDALONE_HOST.test(h))
      ? { ok: true, manager: "standalone" }
      : { ok: false, message: `"${master}" is not spark://host:port (several masters: spark://h1:port,h2:port)` };
  }
  if (master === "yarn") return { ok: true, manager: "yarn" };
  if (master === "yarn-client" || master === "yarn-cluster") {
    const mode = master.slice("yarn-".length);
    return { ok: false, message: `"${master}" is no longer accepted by Spark; use master: yarn with deployMode: ${mode}` };
  }
  if (master.startsWith("k8s://")) {
    return K8S.test(master)
      ? { ok: true, manager: "kubernetes" }
      : { ok: false, message: `"${master}" is not k8s://https://host:port (the Kubernetes API server)` };
  }
  if (master.startsWith("mesos://")) {
    return { ok: false, message: "Mesos support was removed in Spark 4; use standalone (spark://), yarn or k8s://" };
  }
  if (master.startsWith("sc://")) {
    return { ok: false, message: `"${master}" is a Spark Connect URL, not a master; mlship submits with --master: ${EXPECTED}` };
  }
  return { ok: false, message: `unknown master "${master}"; ${EXPECTED}` };
}
