// The cause of a failed Spark attempt, from realistic Spark 4 / YARN / Kubernetes / S3 / Python log excerpts.
import { describe, expect, it } from "vitest";
import { causeHint, classifyAttempt, FailureSummary, type AttemptOutcome } from "../../src/launch/index.js";

describe("one log line's hint", () => {
  it.each([
    ["25/12/07 13:00:01 ERROR TaskSchedulerImpl: Lost executor 0 on 127.0.0.1: Remote RPC client disassociated. Likely due to containers exceeding thresholds, or network issues. Check driver logs for WARN messages.", "transient"],
    ["25/12/07 13:00:01 WARN TaskSetManager: Lost task 1.0 in stage 3.0 (TID 7) (127.0.0.1 executor 0): ExecutorLostFailure (executor 0 exited caused by one of the running tasks) Reason: Remote RPC client disassociated.", "transient"],
    ["25/12/07 13:00:02 ERROR Master: Worker worker-20251207130000-127.0.0.1-40000 lost: heartbeat timed out", "transient"],
    ["25/12/07 13:00:02 INFO StandaloneSchedulerBackend: Executor app-20251207130000-0000/0 removed: Worker shutting down", null],
    ["25/12/07 13:00:03 WARN YarnAllocator: Container container_1700000000000_0001_01_000002 on host: node-3 was preempted.", "transient"],
    ["25/12/07 13:00:03 INFO BlockManagerMasterEndpoint: Executor 2 is decommissioned", "transient"],
    ["25/12/07 13:00:03 ERROR TaskSchedulerImpl: Lost executor 2 on 10.0.0.5: ExecutorDecommission(Some(10.0.0.5),worker decommissioned)", "transient"],
    ["(spark.decommission.enabled,true)", null],
    ["25/12/07 13:00:04 WARN KubernetesClusterSchedulerBackend: The executor with id 4 was deleted by a user or the framework.", "transient"],
    ["org.apache.spark.shuffle.FetchFailedException: Failed to connect to /10.0.0.5:7337", "transient"],
    ["Caused by: com.amazonaws.services.s3.model.AmazonS3Exception: Slow Down (Service: Amazon S3; Status Code: 503; Error Code: SlowDown; Request ID: X)", "transient"],
    ["org.apache.hadoop.fs.s3a.AWSServiceThrottledException: getFileStatus on s3a://bucket/data: software.amazon.awssdk.services.s3.model.S3Exception: Please reduce your request rate. (Service: S3, Status Code: 503)", "transient"],
    ["Caused by: java.net.SocketException: Connection reset", "transient"],
    ["Caused by: java.net.UnknownHostException: models.s3.eu-west-1.amazonaws.com", "transient"],
    ["java.lang.OutOfMemoryError: Java heap space", "oom"],
    ["Exception in thread \"dispatcher-event-loop-1\" java.lang.OutOfMemoryError: GC overhead limit exceeded", "oom"],
    ["ExecutorLostFailure (executor 2 exited caused by one of the running tasks) Reason: Container killed by YARN for exceeding physical memory limits. 4.5 GB of 4.5 GB physical memory used. Consider boosting spark.executor.memoryOverhead.", "oom"],
    ["25/12/07 13:00:05 ERROR TaskSchedulerImpl: Lost executor 1 on 10.0.0.7: The executor with id 1 exited with exit code 137(SIGKILL, possible container OOM).", "oom"],
    ["Container killed on request. Exit code is 137", null],
    ["mlship-error[E_DRIVER]: unexpected MemoryError: Unable to allocate 8.00 GiB for an array with shape (1073741824,) and data type float64", "oom"],
    ["numpy.core._exceptions._ArrayMemoryError: Unable to allocate 8.00 GiB for an array", "oom"],
    ["25/12/07 13:00:06 INFO SparkContext: Running Spark version 4.1.1", null],
    ["mlship: fitting logistic_regression on 8000 rows", null],
  ])("%s", (line, cause) => {
    expect(causeHint(line)?.cause ?? null).toBe(cause);
  });
});

const failed = (o: Partial<AttemptOutcome> = {}): AttemptOutcome => ({ exitCode: 1, signal: null, interrupted: false, timedOut: false, driverCode: null, hints: [], ...o });
const hintsOf = (...lines: string[]) => {
  const summary = new FailureSummary();
  for (const line of lines) summary.add(line);
  return summary.hints;
};

describe("an attempt's cause", () => {
  it("timeout.run and a stop come first", () => {
    expect(classifyAttempt(failed({ timedOut: true, interrupted: true, driverCode: "E_DATA" })).cause).toBe("timeout");
    expect(classifyAttempt(failed({ interrupted: true, signal: "SIGTERM", hints: hintsOf("java.lang.OutOfMemoryError: Java heap space") })).cause).toBe("interrupted");
  });

  it.each([
    ["E_DATA", "data"],
    ["E_UPDATE", "data"],
    ["E_JOB", "spec"],
    ["E_NOT_PORTABLE", "spec"],
    ["E_EXPORT", "spec"],
    ["E_NO_EXECUTOR", "transient"],
  ])("the driver's %s is %s, whatever the log says", (code, cause) => {
    expect(classifyAttempt(failed({ driverCode: code, hints: hintsOf("25/12/07 WARN TaskSchedulerImpl: Lost executor 0 on 127.0.0.1: Remote RPC client disassociated.") })).cause).toBe(cause);
  });

  it("a lost worker while the driver waited: E_NO_EXECUTOR with the log's lost executor", () => {
    const log = [
      "25/12/07 13:00:01 INFO DAGScheduler: Submitting 4 missing tasks from ResultStage 2",
      "25/12/07 13:00:09 ERROR TaskSchedulerImpl: Lost executor 0 on 127.0.0.1: Remote RPC client disassociated. Likely due to containers exceeding thresholds, or network issues.",
      "25/12/07 13:00:24 WARN TaskSchedulerImpl: Initial job has not accepted any resources; check your cluster UI to ensure that workers are registered and have sufficient resources",
      "mlship-error[E_NO_EXECUTOR]: no executor for 20 s while a Spark job waited (timeout.noExecutor, master spark://127.0.0.1:7077)",
    ];
    expect(classifyAttempt(failed({ driverCode: "E_NO_EXECUTOR", hints: hintsOf(...log) }))).toEqual({ cause: "transient", evidence: "E_NO_EXECUTOR" });
  });

  it("out of memory wins over the executor loss it caused", () => {
    const hints = hintsOf(
      "WARN TaskSetManager: Lost task 0.0 in stage 1.0 (TID 1) (node-2 executor 2): ExecutorLostFailure (executor 2 exited caused by one of the running tasks) Reason: Container killed by YARN for exceeding physical memory limits. 4.5 GB of 4.5 GB physical memory used.",
      "ERROR TaskSchedulerImpl: Lost executor 2 on node-2: Container killed by YARN for exceeding physical memory limits.",
    );
    expect(classifyAttempt(failed({ driverCode: "E_FIT", hints })).cause).toBe("oom");
  });

  it("E_FIT is Spark refusing the fit, unless the log shows a lost executor", () => {
    expect(classifyAttempt(failed({ driverCode: "E_FIT" })).cause).toBe("spec");
    expect(classifyAttempt(failed({ driverCode: "E_FIT", hints: hintsOf("org.apache.spark.SparkException: Job aborted due to stage failure: ExecutorLostFailure (executor 1 exited unrelated to the running tasks) Reason: worker lost") })).cause).toBe("transient");
  });

  it("an S3 throttle behind the driver's unexpected error is transient", () => {
    const hints = hintsOf("Caused by: software.amazon.awssdk.services.s3.model.S3Exception: Please reduce your request rate. (Service: S3, Status Code: 503, Request ID: R)", "mlship-error[E_DRIVER]: unexpected Py4JJavaError: An error occurred while calling o123.save.");
    expect(classifyAttempt(failed({ driverCode: "E_DRIVER", hints })).cause).toBe("transient");
  });

  it("exit 137 is out of memory only with memory words in the log", () => {
    expect(classifyAttempt(failed({ exitCode: 137, lines: ["Killed"] })).cause).toBe("unknown");
    expect(classifyAttempt(failed({ exitCode: 137, lines: ["Memory cgroup out of memory: Killed process 4242 (java)"] })).cause).toBe("oom");
  });

  it("anything else is unknown, never retried", () => {
    expect(classifyAttempt(failed({ driverCode: "E_DRIVER", lines: ["ValueError: something odd"] }))).toEqual({ cause: "unknown", evidence: "E_DRIVER" });
    expect(classifyAttempt(failed()).cause).toBe("unknown");
  });

  it("keeps the first ten distinct hints of a long log", () => {
    const lines = Array.from({ length: 50 }, (_, i) => `ERROR TaskSchedulerImpl: Lost executor ${i} on host-${i}: Remote RPC client disassociated.`);
    expect(hintsOf(...lines, ...lines)).toHaveLength(10);
  });
});
