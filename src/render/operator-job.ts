// The spec as the Spark Operator submits it: a Kubernetes master, cluster deploy mode, the image; for planRun. Pure.
import type { LoadedJob } from "../runs/plan-run.js";

// The operator runs spark-submit inside the cluster, against the API server it runs in.
export const OPERATOR_MASTER = "k8s://https://kubernetes.default.svc";
const UPLOAD_PATH = "spark.kubernetes.file.upload.path";
// mlship's own files come from the image (local://) and the job description from a Secret, so nothing is uploaded;
// this stand-in keeps planRun's upload rule quiet about them (render checks the user's own files itself).
export const UPLOAD_STAND_IN = "local:///nothing-is-uploaded";

// The job planRun should plan for a SparkApplication of this spec.
export function operatorJob(job: LoadedJob, image: string | undefined): { job: LoadedJob; standIn: boolean } {
  const spark = job.spec.spark;
  const conf = { ...spark.conf };
  if (image !== undefined && conf["spark.kubernetes.container.image"] === undefined) conf["spark.kubernetes.container.image"] = image;
  const standIn = conf[UPLOAD_PATH] === undefined;
  if (standIn) conf[UPLOAD_PATH] = UPLOAD_STAND_IN;
  return { job: { ...job, spec: { ...job.spec, spark: { ...spark, master: OPERATOR_MASTER, deployMode: "cluster", conf } } }, standIn };
}

// The Spark version of a Spark build, from its spark-core jar (spark-core_2.13-4.1.1.jar → 4.1.1).
export function sparkVersionOf(jars: string[]): string | undefined {
  for (const jar of jars) {
    const m = /^spark-core_[0-9.]+-(.+)\.jar$/.exec(jar);
    if (m) return m[1];
  }
  return undefined;
}
