// One training run end to end: plan, launch Spark, verify the manifest, certify parity, register.
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm } from "node:fs/promises";
import { hostname, tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { FatalError, SpecError, UserError } from "../errors.js";
import { preflight } from "../pyenv/preflight.js";
import type { CodeWithExit } from "../error-codes.js";
import type { JobSpec } from "../jobspec/schema.js";
import type { Store } from "../store/types.js";
import { classifyMaster, redactor, redactArgv } from "../submit/index.js";
import { locateSpark, noSparkError } from "../setup/locate.js";
import { sparkInstallOf } from "./spark-install.js";
import { finishClassArchive, prepareClassArchive } from "./class-archive.js";
import { describeClassArchive } from "../submit/class-archive.js";
import { findOnPath } from "../remote/index.js";
import { interruptWatch, remoteEnding, remoteTracker, type RemoteTracker } from "./remote-run.js";
import { launch, type DriverEvent } from "../launch/index.js";
import { certify, parityRefusal, verifyManifest, type ParityReport } from "../certify/index.js";
import { registerVersion, type VersionRecord } from "../registry/index.js";
import { readRecord } from "../records/index.js";
import { promote, type Promotion } from "./promote.js";
import { gitInfo } from "./git.js";
import { archiveEventLog } from "./eventlog.js";
import { absoluteDataPath, RUN_DIR_PREFIX } from "./paths.js";
import { planRun, type LoadedJob } from "./plan-run.js";
import { settleInputLedger } from "./input-ledger.js";
import { settleUpdateLedger, type UpdateInputs } from "./update-ledger.js";
import type { TransferBlock, UpdateBlock } from "../submit/types.js";
import type { UpdateFacts } from "../registry/records.js";
import { trainingStateModes } from "./training-state.js";
import { listInputFiles } from "../ledger/index.js";
import { isShortTrain } from "../update/short-run.js";
import { newRunId, runPrefix, type RunRecord } from "./record.js";
import { liveRecord, type LiveRecord } from "./live-record.js";
import { heartbeatSeconds } from "./liveness.js";
import { redactedSpec } from "./effective-spec.js";
import { abortableSleep, runAttempts, SignalStop } from "./attempts.js";
import { runDeadline } from "./deadline.js";
import { retryPolicy } from "../retry/policy.js";
import { formatDuration } from "../retry/duration.js";

export type { LoadedJob };

export interface TrainWorld {
  cwd: string;
  env: Record<string, string | undefined>;
  projectRoot: string;
  store: Store;
  now: () => Date;
  onLine: (line: string) => void; // Spark's output (redacted), for the terminal
  progress: (message: string) => void; // mlship's own progress lines
  onDriverEvent?: (event: DriverEvent) => void; // each of the driver's structured events (identity, phase, stages)
  runId?: string; // the run's id when the caller made it (the job's lease names it); else a new one
  stop?: AbortSignal; // aborted: stop the run (a newer run replaces it, src/lease/); its reason says why
  supervisorPid?: number; // the pid a local driver watches, exiting when it is gone (default: this process)
}

export type { Promotion };

export interface TrainSuccess {
  runId: string;
  model: string;
  version: VersionRecord;
  parity: ParityReport;
  promotion: Promotion | null;
  durationSeconds: number;
}

// `mlship update`'s run: the parent, the block the driver reads, and what the ledger must record.
export interface UpdateRun {
  parent: VersionRecord;
  block: UpdateBlock;
  key: string; // the plan's idempotency key (lineage.updateKey)
  short?: boolean; // a short driver job (src/update/short-run.ts)
  inputs: UpdateInputs;
}

// model.basedOn's run: the source version (pinned when `train` started) and the block the driver reads.
export interface TransferRun {
  source: VersionRecord;
  block: TransferBlock;
}

// One run of the built-in trainer: `train` (no `update`), or `update` making a child of update.parent; `transfer`
// when the spec names model.basedOn (docs/transfer.md).
export async function trainJob(world: TrainWorld, job: LoadedJob, secretEnv: string[], update?: UpdateRun, transfer?: TransferRun): Promise<TrainSuccess> {
  const spec: JobSpec = { ...job.spec, data: { ...job.spec.data, train: absoluteDataPath(job.spec.data.train, world.cwd) } };
  const runId = world.runId ?? newRunId(world.now());
  const prefix = runPrefix(spec.name, runId);
  const modelPrefix = `${prefix}/model`;
  const secrets = [...job.secrets, ...secretEnv];
  const redact = redactor(secrets);

  // The ledger lists what data.train names before Spark reads it, and checks the list against the driver's after.
  const inputsBefore = update ? null : await listInputFiles(spec.data.train, world.env);
  const short = update ? update.short === true : inputsBefore !== null && isShortTrain(inputsBefore);
  const run: RunContext = { spec, runId, prefix, modelPrefix, secrets, redact, ...(update ? { update: update.block } : {}), ...(short ? { shortRun: true } : {}), ...(transfer ? { transfer: transfer.block } : {}) };
  const launched = await submitAndWait(world, job, run);
  const { live } = launched;
  try {
    return await settle(world, job, run, launched, inputsBefore, update, transfer);
  } finally {
    await live.stop(); // the heartbeat ends with the run's last write, whatever way it ended
  }
}

// After Spark: records how it ended, verifies, certifies and registers; run.json says how it went either way.
async function settle(
  world: TrainWorld,
  job: LoadedJob,
  { spec, runId, prefix, modelPrefix, redact }: RunContext,
  { record, git, result, live, loop, followProblem }: Awaited<ReturnType<typeof submitAndWait>>,
  inputsBefore: Awaited<ReturnType<typeof listInputFiles>> | null,
  update: UpdateRun | undefined,
  transfer?: TransferRun,
): Promise<TrainSuccess> {
  const { store } = world;
  const model = spec.model.name ?? spec.name;
  record.endedAt = result.endedAt.toISOString();
  const firstStart = loop.attempts[0] ? new Date(loop.attempts[0].startedAt) : result.startedAt; // retries included
  record.durationSeconds = (result.endedAt.getTime() - firstStart.getTime()) / 1000;
  record.exitCode = result.exitCode;
  record.signal = result.signal;
  record.sparkApplicationId = record.sparkApplicationId ?? result.applicationId; // the driver's own word first
  // Records the failure (status, code, message) in run.json and returns the error the CLI reports.
  const fail = async (status: "failed" | "killed" | "timed-out", code: CodeWithExit<1 | 4 | 5 | 130>, message: string, details: string[]) => {
    record.status = status;
    record.errorCode = code;
    record.error = redact([message, ...details].join("\n"));
    await live.write();
    return new FatalError(redact(message), code, { details: details.map(redact) });
  };

  // Why no further attempt ran, and what to change (src/retry/policy.ts), after the failure's own lines.
  const tried = loop.attempts.length > 1 ? `${loop.attempts.length} attempts (${loop.attempts.map((a) => `${a.attempt}: ${a.cause ?? "ok"}${a.code ? ` ${a.code}` : ""}`).join(", ")}); ` : "";
  // Said whenever the spec asked for retries, or the cause is one a retry or more memory can help.
  const failure = loop.failure;
  const advise = failure !== null && (spec.retry !== undefined || failure.classified.cause === "transient" || failure.classified.cause === "oom");
  const advice = advise ? [`${tried}${failure.decision.why}`] : [];
  if (loop.timedOut) {
    const limit = formatDuration(retryPolicy(spec).runSeconds ?? 0);
    throw await fail("timed-out", "E_TIMEOUT", `run ${runId} exceeded timeout.run (${limit}); Spark was stopped; nothing registered`, [...advice, `Log: ${store.location}/${prefix}/driver.log`]);
  }
  if (result.interrupted) {
    const by = world.stop?.aborted && world.stop.reason instanceof Error ? world.stop.reason.message : `stopped by ${result.interrupted}`;
    throw await fail("killed", "E_KILLED", `run ${runId} ${by}; nothing registered`, record.remote?.killed ? [record.remote.killed.message] : []);
  }
  if (result.exitCode !== 0) {
    const failed = `Spark job failed (exit code ${result.exitCode ?? result.signal}); nothing registered. Log: ${store.location}/${prefix}/driver.log`;
    // The driver's own words lead when it said what went wrong; else the generic line and the log's error lines.
    const driver = result.driverFailure;
    if (driver) throw await fail("failed", driver.code, driver.problems[0]!, [...driver.problems.slice(1), failed, ...advice]);
    throw await fail("failed", "E_RUN_FAILED", failed, [...result.summary, ...advice]);
  }
  // Cluster deploy mode: spark-submit may exit 0 whatever way the remote driver ended.
  const remoteEnd = record.remote ? remoteEnding(record.remote, followProblem) : null;
  if (remoteEnd) throw await fail(remoteEnd.status, remoteEnd.code, remoteEnd.message, result.summary);

  // Whatever fails after Spark (a store error, a missing file) still leaves run.json saying so, never "running".
  let version: VersionRecord;
  let parity: ParityReport;
  try {
    world.progress("verifying artifacts (MANIFEST.json checksums)");
    const manifest = await verifyManifest(store, modelPrefix);
    if (!manifest.ok) throw await fail("failed", "E_ARTIFACTS", "artifacts failed verification; nothing registered", manifest.problems);

    const metricsDoc = await readRecord(store, "metrics", `${modelPrefix}/metrics.json`);
    record.metrics = metricsDoc?.metrics ?? {};
    record.sparkApplicationId ??= metricsDoc?.spark?.applicationId ?? null;

    world.progress("certifying: scoring the parity sample in TypeScript and comparing with Spark");
    parity = await certify(store, modelPrefix, spec.parity.tolerance);
    if (!parity.passed) {
      const refusal = parityRefusal(parity);
      throw await fail("failed", "E_PARITY", `${refusal.message}; nothing registered`, refusal.details);
    }

    const updateModes = await trainingStateModes(manifest.artifacts);

    const ledger = update
      ? await settleUpdateLedger({ store, runPrefix: prefix, update: update.inputs })
      : await settleInputLedger({ store, env: world.env, train: spec.data.train, runPrefix: prefix, before: inputsBefore! });
    if (!ledger.ok) throw await fail("failed", "E_INPUT_CHANGED", `${ledger.message}; nothing registered`, ledger.details);
    for (const w of ledger.warnings) world.progress(`warning: ${redact(w)}`);

    const { descriptor } = await loadDescriptor(store, modelPrefix);
    const updateFacts = update ? await readUpdateFacts(store, modelPrefix, update.parent.version) : undefined;
    const params = await readRecord(store, "paramsDoc", `${modelPrefix}/params.json`); // absent from user entrypoints
    version = await registerVersion(
      store,
      {
        model,
        algorithm: descriptor.algorithm,
        task: descriptor.task,
        artifacts: { store: store.location, prefix: modelPrefix, manifestSha256: manifest.manifestSha256, files: manifest.manifest.files.length, bytes: manifest.bytes },
        metrics: record.metrics,
        parity: { rows: parity.rows, maxAbsDiff: parity.maxAbsDiff, tolerance: parity.tolerance, labelMismatches: parity.labelMismatches, passed: parity.passed },
        ...(descriptor.sparkVersion ? { sparkVersion: descriptor.sparkVersion } : {}),
        ...(updateModes ? { updateModes } : {}),
        ...(updateFacts ? { update: updateFacts } : {}),
        spec: redactedSpec(spec, redact),
        ...(params ? { params: { stage: params.stage, params: params.params } } : {}),
        lineage: {
          runId,
          job: spec.name,
          specFile: job.file,
          specSha256: job.sha256,
          ...(job.profile ? { profile: job.profile } : {}),
          ...(job.sets?.length ? { overrides: job.sets.map(redact) } : {}),
          gitCommit: git.commit,
          gitDirty: git.dirty,
          data: { train: redact(spec.data.train), format: spec.data.format },
          parentVersion: update ? update.parent.version : null,
          ...ledger.lineage,
          ...(update ? { updateKey: update.key } : {}),
          ...(transfer ? { basedOn: basedOnOf(transfer) } : {}),
        },
      },
      world.now,
    );
    record.status = "succeeded";
    record.registeredVersion = version.version;
    await live.write();
  } catch (err) {
    if (record.status === "running") {
      const code = err instanceof FatalError ? err.code : "E_RUN_FAILED";
      await fail("failed", code, err instanceof Error ? err.message : String(err), []).catch(() => undefined);
    }
    throw err;
  }

  // An update's gate compares the child with its parent scored on the same held-out slice of the new data.
  const against = update && version.update ? { ...update.parent, metrics: version.update.parentMetrics } : undefined;
  const promotion = spec.promote ? await promote(store, model, version, spec.promote, against ? { against } : {}) : null;
  return { runId, model, version, parity, promotion, durationSeconds: record.durationSeconds };
}

interface RunContext {
  update?: UpdateBlock;
  transfer?: TransferBlock;
  shortRun?: boolean; // a short run (small input): Spark conf for a short driver job (src/update/short-run.ts)
  spec: JobSpec;
  runId: string;
  prefix: string;
  modelPrefix: string;
  secrets: string[];
  redact: (s: string) => string;
}

// Plans and launches spark-submit, once or more (the spec's retry:, within its timeout.run), archives each attempt's
// driver log and the event log, and returns how the last attempt ended.
async function submitAndWait(world: TrainWorld, job: LoadedJob, run: RunContext) {
  const { store, env } = world;
  const { spec, runId, prefix, redact } = run;
  const everySeconds = heartbeatSeconds(env); // a bad MLSHIP_HEARTBEAT_SECONDS stops the run before anything starts
  const located = locateSpark(env, world.projectRoot);
  if (!located.ok) throw noSparkError(located.message, env);
  const policy = retryPolicy(spec);
  // Local scratch for this run (0700): each attempt's driver log, the plan's private files, and the event log when
  // the driver runs here (client mode).
  const install = sparkInstallOf(located, { env, cwd: world.cwd, propertiesFile: spec.spark.propertiesFile });
  const scratch = await mkdtemp(join(tmpdir(), RUN_DIR_PREFIX));
  // The driver JVM's class-data archive: used when there, written by this run when not (docs/operations.md).
  const master = classifyMaster(spec.spark.master);
  const archive = prepareClassArchive({ env: { ...env, ...install.env }, spark: spec.spark, manager: master.ok ? master.manager : undefined, build: install.build, defaults: install.defaults }, runId);
  let succeeded = false;
  // Plans one attempt (a retry after an out-of-memory failure plans a spec with more memory).
  const planAttempt = (attemptJob: LoadedJob) => {
    const planned = planRun({
      job: attemptJob,
      cwd: world.cwd,
      env,
      projectRoot: world.projectRoot,
      store: { ok: true, store },
      spark: install,
      secretEnv: run.secrets,
      runId,
      runDir: scratch,
      ...(run.update ? { update: run.update } : {}),
      ...(run.transfer ? { transfer: run.transfer } : {}),
      ...(run.shortRun ? { shortRun: true } : {}),
      ...(archive.choice.action !== "skip" ? { classArchive: archive.choice } : {}),
      supervisorPid: world.supervisorPid ?? process.pid,
    });
    if (!planned.ok) throw new SpecError(planned.problems, "E_PLAN");
    return planned;
  };
  try {
    const first = planAttempt(job);
    const { eventLog } = first;
    for (const w of first.warnings) world.progress(`warning: ${w}`);
    if (archive.choice.action !== "skip") world.progress(describeClassArchive(archive.choice));
    // The driver's Python, checked before any JVM starts (client mode): a missing numpy fails here, in a second.
    const checked = await preflight({ spec: first.spec, plan: first.plan, env, defaults: install.defaults, build: install.build, projectRoot: world.projectRoot, runtimePython: located.source === "MLSHIP_HOME" ? join(dirname(located.path), "python") : undefined }, world.cwd);
    if (checked && !checked.ok) throw new UserError(redact(checked.message), "E_PYTHON_ENV", { details: checked.details.map(redact) });
    for (const w of checked?.warnings ?? []) world.progress(`warning: ${redact(w)}`);
    if (checked) world.progress(redact(checked.summary));
    if (eventLog.local) await mkdir(eventLog.local, { recursive: true });

    const git = await gitInfo(dirname(resolve(world.cwd, job.file)));
    const record: RunRecord = {
      runId,
      job: spec.name,
      status: "submitted",
      submittedAt: world.now().toISOString(),
      argv: redactArgv(first.plan.argv, run.secrets),
      specFile: job.file,
      specSha256: job.sha256,
      ...(job.profile ? { profile: job.profile } : {}),
      gitCommit: git.commit,
    };
    const live = liveRecord(store, record, {
      now: world.now,
      everySeconds,
      onHeartbeatError: (err) => world.progress(`warning: heartbeat not written to run.json: ${redact(err instanceof Error ? err.message : String(err))}`),
    });
    await live.write();
    live.startHeartbeat();
    // One signal ends the attempts: the caller's stop (a newer run), timeout.run, or a signal during a retry's wait.
    const deadline = runDeadline(policy.runSeconds, world.stop);
    try {
      world.progress(`run ${runId}: spark-submit on ${spec.spark.master} (${spec.spark.deployMode} mode)${policy.runSeconds !== null ? `, timeout.run ${formatDuration(policy.runSeconds)}` : ""}`);
      record.status = "running";
      record.startedAt = world.now().toISOString();
      // Who supervises the run, so another shell can find it (`runs kill`, `runs attach`).
      record.supervisor = { pid: process.pid, host: hostname() };
      let followProblem: string | null = null; // cluster deploy mode: why the remote driver could not be followed
      const loop = await runAttempts({
        policy,
        spec: job.spec,
        signal: deadline.signal,
        timedOut: deadline.timedOut,
        runOnce: async (attemptSpec, attempt) => {
          const planned = attempt === 1 ? first : planAttempt({ ...job, spec: attemptSpec });
          record.argv = redactArgv(planned.plan.argv, run.secrets);
          if (attempt > 1) world.progress(`run ${runId}: attempt ${attempt} of ${policy.attempts}`);
          const logFile = join(scratch, `driver-${attempt}.log`);
          record.driverLog = logFile; // where the live log grows (`runs attach` follows it)
          const tracker = remoteFor(world, spec, record, live, located);
          await live.write();
          const { argv, env: childEnv, unset, files } = planned.plan;
          const onLine = tracker ? (line: string) => (tracker.onLine(line), world.onLine(line)) : world.onLine;
          let result = await launch({
            argv, env: childEnv, unset, files, cwd: world.cwd, redact, logFile, onLine,
            onEvent: (e) => driverEvent(world, record, live, e),
            stop: deadline.signal,
            ...(tracker ? { onInterrupt: () => tracker.kill() } : {}),
          });
          followProblem = null;
          if (tracker && !result.interrupted && result.exitCode === 0) {
            // The submitter returned while the driver may still run (its wait turned off): poll to the end.
            const watch = interruptWatch(deadline.signal);
            try {
              followProblem = await tracker.follow(watch.signal);
              const by = watch.by();
              if (by) {
                await tracker.kill();
                result = { ...result, interrupted: by };
              }
            } finally {
              watch.dispose();
            }
            result = { ...result, endedAt: new Date() };
          }
          if (eventLog.local) {
            // A missing or unreadable event log is worth a warning, never a failed run.
            const copied = await archiveEventLog(store, `${prefix}/eventlog`, eventLog.local, redact);
            if (!copied.ok) world.progress(`warning: the Spark event log was not archived: ${redact(copied.reason)}`);
          }
          return { result, log: await readFile(logFile) };
        },
        keepLog: async (key, log) => void (await store.put(`${prefix}/${key}`, log)),
        beforeRetry: () => clearPrefix(store, run.modelPrefix), // a failed attempt's partial model never mixes with the next
        recordAttempt: async (entry) => {
          record.attempts = [...(record.attempts ?? []), entry];
          await live.write();
        },
        progress: world.progress,
        sleep: (ms, signal) => abortableSleep(ms, signal, (sig) => deadline.stop(new SignalStop(sig))),
        redact,
      });
      succeeded = loop.result.exitCode === 0 && !loop.result.interrupted;
      return { record, git, result: loop.result, live, loop, followProblem };
    } catch (err) {
      await live.stop();
      throw err;
    } finally {
      deadline.clear();
    }
  } finally {
    await rm(scratch, { recursive: true, force: true });
    const kept = await finishClassArchive(archive, succeeded);
    if (kept) world.progress(`warning: ${kept}`);
  }
}

// One of the driver's events: its identity goes into run.json; everything goes to the caller's display.
function driverEvent(world: TrainWorld, record: RunRecord, live: LiveRecord, event: DriverEvent): void {
  if (event.applicationId || event.uiWebUrl) identified(world, record, live, event);
  world.onDriverEvent?.(event);
}

// Removes every object under a prefix (the model folder of a failed attempt).
async function clearPrefix(store: Store, prefix: string): Promise<void> {
  for (const key of await store.list(prefix)) await store.remove(key);
}

// Cluster deploy mode on a cluster: record.remote, and the tracker that fills it in and kills the driver.
function remoteFor(world: TrainWorld, spec: JobSpec, record: RunRecord, live: LiveRecord, located: { path: string; env: Record<string, string> }): RemoteTracker | null {
  const master = classifyMaster(spec.spark.master);
  if (spec.spark.deployMode !== "cluster" || !master.ok || master.manager === "local") return null;
  record.remote = { manager: master.manager, master: spec.spark.master };
  const env = { ...world.env, ...located.env };
  const tools = { sparkSubmit: located.path, yarn: findOnPath("yarn", env) };
  return remoteTracker({ env, now: world.now, progress: world.progress, tools }, record as RunRecord & { remote: NonNullable<RunRecord["remote"]> }, live);
}

// The driver told who it is (its application id, its UI): into run.json at once, so another shell can find it.
function identified(world: TrainWorld, record: RunRecord, live: LiveRecord, event: DriverEvent): void {
  if (event.applicationId) record.sparkApplicationId = event.applicationId;
  if (event.uiWebUrl) record.sparkUiUrl = event.uiWebUrl;
  if (event.applicationId) world.progress(`spark application ${event.applicationId}${event.uiWebUrl ? ` (UI ${event.uiWebUrl})` : ""}`);
  live.write().catch((err: unknown) => world.progress(`warning: run.json not updated with the application id: ${err instanceof Error ? err.message : String(err)}`));
}

// model/update.json, the driver's account of an update (verified by the MANIFEST with the rest), as the record keeps it.
async function readUpdateFacts(store: Store, modelPrefix: string, parentVersion: number): Promise<UpdateFacts> {
  const doc = await readRecord(store, "updateDoc", `${modelPrefix}/update.json`);
  if (!doc) throw new FatalError("update.json is missing from the child's artifacts", "E_ARTIFACTS");
  return {
    mode: doc.mode,
    parentVersion,
    rows: { history: doc.rows.history, new: doc.rows.new },
    parentMetrics: Object.fromEntries(Object.entries(doc.parentMetrics).filter((e): e is [string, number] => typeof e[1] === "number")),
    ...(doc.shifts ? { shifts: doc.shifts.slice(0, SHIFTS_KEPT) } : {}),
    ...(doc.facts ? { facts: doc.facts } : {}),
  };
}

// lineage.basedOn: the source a transferred version started from, as it was when the run started.
function basedOnOf({ source, block }: TransferRun): NonNullable<VersionRecord["lineage"]["basedOn"]> {
  return { name: source.model, version: source.version, manifestSha256: source.artifacts.manifestSha256, method: block.method, ...(block.use ? { use: block.use } : {}), ...(block.family ? { family: block.family } : {}) };
}

const SHIFTS_KEPT = 50; // the version record keeps the largest shifts; model/update.json has every feature's

async function loadDescriptor(store: Store, modelPrefix: string) {
  const got = await store.get(`${modelPrefix}/portable/descriptor.json`);
  if (!got.ok) throw new FatalError("portable/descriptor.json is missing", "E_ARTIFACTS");
  return { descriptor: JSON.parse(Buffer.from(got.body).toString("utf8")) as { algorithm: string; task: string; sparkVersion?: string } };
}
