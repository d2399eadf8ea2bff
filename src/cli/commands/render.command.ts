// Declares `mlship render SPEC --target spark-operator`; the handler (render.ts) loads only when it runs.
import { defineCommand } from "../define.js";
import { specOptions, storeOption } from "../shared-options.js";

export const command = defineCommand({
  name: "render",
  description: "write a Kubeflow Spark Operator SparkApplication (or, with --schedule, ScheduledSparkApplication) for the spec (docs/scheduling.md)",
  args: [{ name: "<spec>", description: "job spec (YAML)" }],
  options: [
    { flags: "--target <name>", description: "what to write: spark-operator", required: true },
    { flags: "--schedule <cron>", description: 'a ScheduledSparkApplication on this schedule, e.g. "0 2 * * *" or @daily' },
    { flags: "-o, --out <file>", description: "write the manifest to FILE (default: stdout)" },
    { flags: "--image <image>", description: "the container image (Spark, Python, mlship's spark-scripts), when spark.conf has no spark.kubernetes.container.image" },
    { flags: "--spark-version <version>", description: "the image's Spark version (default: the local Spark's)" },
    { flags: "--namespace <ns>", description: "metadata.namespace" },
    { flags: "--service-account <name>", description: "the driver's service account (it creates the executor pods)" },
    { flags: "--job-secret <name>", description: "the Secret holding mlship-job.json (default: mlship-NAME-job)" },
    { flags: "--env-secret <name>", description: "the Secret holding secret spark.env values (default: mlship-NAME-env)" },
    { flags: "--job-out <file>", description: "also write the job description (mode 0600) for `kubectl create secret`" },
    ...specOptions,
    storeOption,
  ],
  examples: [
    "mlship render jobs/quickstart.yaml --target spark-operator --store s3://my-bucket/mlship --set data.train=s3a://my-bucket/churn --image registry.example.com/mlship:1.0",
    'mlship render jobs/quickstart.yaml --target spark-operator --schedule "0 2 * * *" --store s3://my-bucket/mlship --set data.train=s3a://my-bucket/churn --image registry.example.com/mlship:1.0 --out churn.yaml --job-out churn-job.json',
  ],
  load: async () => (await import("./render.js")).run,
});
