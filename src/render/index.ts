// Manifests for running a job spec elsewhere: the Kubeflow Spark Operator (docs/scheduling.md).
export { renderSparkOperator, specProblems, concurrencyPolicy, k8sName, API_VERSION, IMAGE_HOME, JOB_MOUNT, JOB_FILE_NAME, type OperatorInput, type OperatorResult, type Manifest } from "./spark-operator.js";
export { operatorJob, sparkVersionOf, OPERATOR_MASTER, UPLOAD_STAND_IN } from "./operator-job.js";
export { submitParts, argAfter, type SubmitParts } from "./plan-argv.js";
export { cronProblem } from "./cron.js";
