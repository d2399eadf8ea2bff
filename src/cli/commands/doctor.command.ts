// Declares `mlship doctor`; the handler (doctor.ts) loads only when it runs.
import { defineCommand } from "../define.js";
import { jsonOption, storeOption } from "../shared-options.js";

export const command = defineCommand({
  name: "doctor",
  description: "check the environment (Node, Java, Spark, the driver's Python, the store, S3 credentials, the serve port); exit 1 when a check fails",
  options: [storeOption, jsonOption, { flags: "--aws-profile <name>", description: "the AWS profile (not a spec profile: doctor reads no spec) to check S3 credentials and the store with (default: $AWS_PROFILE, else the SDK's chain)" }],
  examples: ["mlship doctor", "mlship doctor --store s3://my-bucket/mlship --aws-profile prod --json"],
  load: async () => (await import("./doctor.js")).run,
});
