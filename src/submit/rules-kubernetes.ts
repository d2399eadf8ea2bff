// Kubernetes needs a container image, an upload path for local files in cluster mode, and a reachable driver in client mode.
import { confValue, isLocalPath, requireConf, warn, type RuleContext } from "./context.js";

const IMAGE = "spark.kubernetes.container.image";
const DRIVER_IMAGE = "spark.kubernetes.driver.container.image";
const EXECUTOR_IMAGE = "spark.kubernetes.executor.container.image";
const UPLOAD_PATH = "spark.kubernetes.file.upload.path";

// Files spark-submit must ship from this machine: the application and every local list entry.
function localFiles(ctx: RuleContext): string[] {
  const s = ctx.spark;
  const all = [ctx.app?.resource, ...ctx.pyFiles, ...s.jars, ...ctx.files, ...s.archives];
  return all.filter((f): f is string => f !== undefined && isLocalPath(f));
}

export function checkKubernetes(ctx: RuleContext): void {
  if (ctx.manager !== "kubernetes") return;
  const { spark, cluster } = ctx;
  const image = confValue(spark, IMAGE);
  // Spark fails with "Must specify the driver/executor container image" (driver only in cluster mode).
  const driverOk = !cluster || image !== undefined || confValue(spark, DRIVER_IMAGE) !== undefined;
  const executorOk = image !== undefined || confValue(spark, EXECUTOR_IMAGE) !== undefined;
  if (!driverOk || !executorOk) {
    requireConf(
      ctx,
      `Kubernetes needs a container image with Spark (and Python for PySpark): set "${IMAGE}" ` +
        `(or "${DRIVER_IMAGE}" and "${EXECUTOR_IMAGE}")`,
    );
  }
  if (cluster) {
    // In cluster mode spark-submit uploads local files through the upload path; without it, it fails
    // with "Please specify spark.kubernetes.file.upload.path property."
    const files = localFiles(ctx);
    if (files.length > 0 && confValue(spark, UPLOAD_PATH) === undefined) {
      const shown = files.slice(0, 3).join(", ") + (files.length > 3 ? `, … (${files.length} in all)` : "");
      requireConf(
        ctx,
        `Kubernetes cluster mode ships local files (${shown}) through "${UPLOAD_PATH}": set it to a location ` +
          `this machine and the pods both reach (e.g. s3a://bucket/spark-uploads), or use local:// paths inside the image`,
      );
    }
  } else if (confValue(spark, "spark.driver.host") === undefined) {
    warn(
      ctx,
      "Kubernetes in client mode: executor pods must connect back to the driver on this machine; set " +
        'spark.conf "spark.driver.host" to an address the pods reach, or use deployMode: cluster',
    );
  }
}
