// The catalogue of mlship's error codes: each stable code once, with its exit code, meaning and what to do.
// Every mlship error takes its exit code from here (src/errors.ts); docs/operations.md ("Error codes") lists
// them all and test/unit/error-codes.test.ts fails when src/, spark-scripts/ or the docs drift from this table.

// Exit codes, documented in README.md ("Exit codes").
export const EXIT = {
  ok: 0,
  failed: 1, // the job or an operation failed
  usage: 2, // bad usage or a bad spec
  notPromoted: 3, // registered, but the promotion gate did not hold
  locked: 4, // not started: another run of the job holds its lease (concurrency: forbid)
  ended: 5, // `runs kill`: the run had already ended; nothing to stop
  interrupted: 130, // stopped by SIGINT/SIGTERM
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

export interface ErrorCodeEntry {
  exit: ExitCode;
  meaning: string; // one line: what went wrong
  fix?: string; // what to do about it, where that is not obvious from the message
  driver?: true; // printed by the Spark driver (spark-scripts/) as `mlship-error[CODE]: message`
}

export const ERROR_CODES = {
  // Exit 2: the user asked for something wrong.
  E_USAGE: { exit: EXIT.usage, meaning: "a bad flag or argument value, or a malformed reference (such as `../x@1`)", fix: "see `mlship COMMAND --help`" },
  E_SPEC: { exit: EXIT.usage, meaning: "the job spec failed to load or validate; every problem is named as file:line:col path: message", fix: "fix the named fields (docs/spec.md); `mlship validate` checks without running" },
  E_PLAN: { exit: EXIT.usage, meaning: "the spec is valid but the run cannot be planned (e.g. cluster deploy mode for Python on a standalone master, an unsupported store scheme)", fix: "`mlship plan` shows the problems before a run" },
  E_NOT_FOUND: { exit: EXIT.usage, meaning: "no such model, version, alias or run in the store", fix: "see `mlship models list`, `mlship models versions NAME`, `mlship runs list`" },
  E_DELETED: { exit: EXIT.usage, meaning: "the version is deleted: its tags and aliases cannot change" },
  E_INPUT: { exit: EXIT.usage, meaning: "`predict`: the input file cannot be read, is not valid in its format, or lacks the model's input columns" },
  E_PYTHON_ENV: { exit: EXIT.usage, meaning: "the pre-flight check, before Spark starts: the driver's Python (client mode) cannot be run, lacks numpy, pyarrow or pyspark, or its pyspark's major.minor differs from the Spark that runs", fix: "set PYSPARK_PYTHON, or spark.pyspark.python in spark.conf, to a Python with spark-scripts/requirements.txt installed (docs/operations.md, \"Python environment\")" },
  E_STORE_UNSUPPORTED: { exit: EXIT.usage, meaning: "a store location mlship cannot use", fix: "use s3://bucket/prefix, a local directory or a file:// URI" },
  E_STORE_LOCATION: { exit: EXIT.usage, meaning: "a malformed S3 store location (bucket name or prefix)" },
  E_UPDATE_OVERLAP: { exit: EXIT.usage, meaning: "`update`: the new data overlaps what the parent's chain consumed (a consumed file rewritten, data.new naming a consumed file, late partitions); each path is named", fix: "append new data as new files; never rewrite consumed ones (docs/updating.md)" },
  E_UPDATE_REFUSED: { exit: EXIT.usage, meaning: "`update`: what is new cannot be told (no ledger in the parent's chain, an unlisted source, no watermark)", fix: "name the new data with data.new, or `mlship train SPEC` for a fresh version" },
  E_UPDATE_NO_STATE: { exit: EXIT.usage, meaning: "`update`: the parent version has no training state (or its state enables no update mode)", fix: "`mlship train SPEC` makes a fresh, updatable version" },
  E_UPDATE_MODE: { exit: EXIT.usage, meaning: "`update`: the update mode (update.mode, or the algorithm's default) is not one the algorithm has, or the parent's training state does not enable it; nothing was started", fix: "set update.mode to one of the modes `mlship models show NAME@V` lists as updatable (docs/updating.md)" },
  E_NO_RUNTIME: { exit: EXIT.usage, meaning: "no Spark and Python runtime for `train`/`update`/`plan`: no SPARK_HOME, no clone's .venv, no runtime from `mlship setup` for this version's requirements, no spark-submit on PATH", fix: "run `mlship setup` (in a clone: `npm run setup`), or set SPARK_HOME to a Spark 4 installation (docs/operations.md, \"Install\")" },
  E_NO_PYTHON: { exit: EXIT.usage, meaning: "`mlship setup`: no Python 3.10 or newer with the venv module (python3, or MLSHIP_PYTHON)", fix: "install python3 with venv (Debian: apt-get install python3 python3-venv), or set MLSHIP_PYTHON to one" },
  E_NO_JAVA: { exit: EXIT.usage, meaning: "`mlship setup`: no Java 17 or newer (JAVA_HOME/bin/java, else java on PATH), which Spark 4 needs", fix: "install Java 17+ (Debian: apt-get install openjdk-17-jre-headless), or set JAVA_HOME to one" },
  E_TRANSFER: { exit: EXIT.usage, meaning: "model.basedOn cannot be the basis of this spec: no such live version, not certified, an input of the source the spec lacks or types differently, or a transfer method the algorithms do not take (or not yet implemented); nothing was started", fix: "fix the field named at file:line:col (docs/transfer.md)" },

  // Exit 1: the job or an operation failed.
  E_INTERNAL: { exit: EXIT.failed, meaning: "an unexpected error inside mlship (a bug)", fix: "rerun with MLSHIP_DEBUG=1 for the stack trace and report it" },
  E_TIMEOUT: { exit: EXIT.failed, meaning: "the run took longer than timeout.run (retries and their waits included); Spark was stopped and nothing was registered", fix: "raise timeout.run, or give the job more resources" },
  E_NO_SPARK: { exit: EXIT.failed, meaning: "SPARK_HOME is set, but SPARK_HOME/bin/spark-submit does not exist (with no Spark found at all: E_NO_RUNTIME)", fix: "fix or unset SPARK_HOME" },
  E_RUN_FAILED: { exit: EXIT.failed, meaning: "the Spark job failed without an mlship-error line saying why; nothing was registered", fix: "read the run's driver.log (`mlship runs logs RUN_ID`)" },
  E_ARTIFACTS: { exit: EXIT.failed, meaning: "a run's or a version's artifacts failed verification (MANIFEST.json checksums, a missing or unlisted file)" },
  E_PARITY: { exit: EXIT.failed, meaning: "the parity certificate failed: the TypeScript scorer disagrees with Spark beyond parity.tolerance; nothing was registered" },
  E_INPUT_CHANGED: { exit: EXIT.failed, meaning: "the training data changed while Spark read it (files added, removed or rewritten), or Spark read other files than were listed; nothing was registered", fix: "run again once the data is complete" },
  E_STORE: { exit: EXIT.failed, meaning: "an S3 request failed (access denied, no such bucket, conditional writes kept conflicting, ...)" },
  E_STORE_UNREACHABLE: { exit: EXIT.failed, meaning: "the S3 endpoint could not be reached, after retries", fix: "check the endpoint, the network and AWS_ENDPOINT_URL" },
  E_STORE_RECORD: { exit: EXIT.failed, meaning: "a store record is damaged (cut short, not JSON, the wrong shape); the message names its key", fix: "`mlship store check` lists every damaged record" },
  E_CONFLICT: { exit: EXIT.failed, meaning: "an alias move was refused: the alias is not where --expect said, or moved meanwhile; nothing changed", fix: "look again, then retry with --expect" },
  E_NO_HISTORY: { exit: EXIT.failed, meaning: "`rollback`: the alias has no earlier version to go back to", fix: "see `mlship alias history MODEL@ALIAS`" },
  E_ALIASED: { exit: EXIT.failed, meaning: "`models delete`: an alias points at the version", fix: "move the alias first, or use --force" },
  E_ALREADY_DELETED: { exit: EXIT.failed, meaning: "`models delete`: the version was already deleted" },
  E_NO_LOG: { exit: EXIT.failed, meaning: "`runs logs`: the run has no driver.log (or, with --event-log, no Spark event log) in the store" },
  E_ROWS: { exit: EXIT.failed, meaning: "`predict`: rows cannot be scored; nothing was written", fix: "use --on-invalid skip to leave them out" },
  E_LISTEN: { exit: EXIT.failed, meaning: "`serve`: the port could not be opened" },
  E_LOAD: { exit: EXIT.failed, meaning: "`serve`: a model failed to load or verify at start-up" },
  E_KILL_FAILED: { exit: EXIT.failed, meaning: "`runs kill`: the run could not be stopped from here (its mlship runs on another host in client mode, it did not stop in time, or the cluster refused to kill the remote driver); the message says what to run where", fix: "run `mlship runs kill RUN_ID` on the host the message names, or the cluster command it names" },
  E_RUN_LOST: { exit: EXIT.failed, meaning: "`runs attach`: the run's mlship stopped writing its heartbeat (status `lost`): it was killed or its host went away", fix: "see `mlship runs status RUN_ID`; a cluster-mode driver may still run (`mlship runs kill RUN_ID`)" },
  E_SETUP_FAILED: { exit: EXIT.failed, meaning: "`mlship setup`: creating the Python runtime failed (venv, or pip could not install the pinned packages); nothing half-built is left or used", fix: "the message has pip's last lines; check the network or pip's index (PIP_INDEX_URL), then run `mlship setup` again" },
  E_SETUP_BUSY: { exit: EXIT.failed, meaning: "`mlship setup`: another `mlship setup` is creating the same runtime and did not finish in time (MLSHIP_SETUP_WAIT_SECONDS, default 900)", fix: "wait for it, or, if it is gone, delete the lock file the message names" },

  // Exit 1, printed by the Spark driver (spark-scripts/mlship_train.py) and carried into run.json and --json.
  E_JOB: { exit: EXIT.failed, driver: true, meaning: "the job mlship handed the Spark driver is unreadable or invalid (e.g. a model.params value Spark refuses)" },
  E_DATA: { exit: EXIT.failed, driver: true, meaning: "the training data is missing, unreadable, too small, or does not fit the spec (a missing label or feature column, a wrong type)" },
  E_FIT: { exit: EXIT.failed, driver: true, meaning: "Spark failed to fit the model; the message is Spark's" },
  E_NOT_PORTABLE: { exit: EXIT.failed, driver: true, meaning: "the fitted pipeline uses something the portable format cannot express", fix: "change the features or the algorithm (docs/portable-model.md)" },
  E_EXPORT: { exit: EXIT.failed, driver: true, meaning: "exporting the fitted model failed a consistency check (a bug)", fix: "report it with the run's driver.log" },
  E_UPDATE: { exit: EXIT.failed, driver: true, meaning: "`update`: the Spark driver could not make the child in the chosen mode (a label class or model shape the parent does not have, a mode the parent's model cannot take)", fix: "the message says what; `mlship train SPEC` retrains on all the data" },
  E_NO_EXECUTOR: { exit: EXIT.failed, driver: true, meaning: "a Spark job waited with no executor for longer than timeout.noExecutor (a worker was lost, or the cluster has no free cores or memory for the application); a transient cause, retried under retry.attempts", fix: "check the cluster (the master's UI lists workers and their free cores); set retry.attempts to retry, or raise timeout.noExecutor" },
  E_DRIVER: { exit: EXIT.failed, driver: true, meaning: "an unexpected error in the Spark driver; driver.log has the Python traceback" },

  // Exit 4: nothing was started, another run holds the job's lease; a scheduler may simply try again later.
  E_RUN_LOCKED: { exit: EXIT.locked, meaning: "`train`/`update`: another run of the same job holds its lease (`concurrency: forbid`, or `replace` when the holder did not stop in time); the message names the holder's run id, host and pid and since when; nothing was started", fix: "wait for that run (`mlship runs show RUN_ID`), or set `concurrency: replace` or `allow` (docs/spec.md); a lease whose holder died frees itself when it expires" },

  // Exit 5: nothing to do, the run had already ended.
  E_RUN_ENDED: { exit: EXIT.ended, meaning: "`runs kill`: the run had already ended (succeeded, failed or killed); nothing was stopped", fix: "`mlship runs status RUN_ID` shows how it ended" },

  // Exit 130.
  E_KILLED: { exit: EXIT.interrupted, meaning: "the run was stopped by SIGINT/SIGTERM, or replaced by a newer run of the job (`concurrency: replace`); Spark was stopped and nothing was registered" },
} as const satisfies Record<string, ErrorCodeEntry>;

export type ErrorCode = keyof typeof ERROR_CODES;

// The codes whose exit code is E, e.g. CodeWithExit<2> for UserError.
export type CodeWithExit<E extends ExitCode> = { [C in ErrorCode]: (typeof ERROR_CODES)[C]["exit"] extends E ? C : never }[ErrorCode];

// The codes the Spark driver prints.
export type DriverErrorCode = { [C in ErrorCode]: (typeof ERROR_CODES)[C] extends { driver: true } ? C : never }[ErrorCode];

export const isErrorCode = (code: string): code is ErrorCode => Object.hasOwn(ERROR_CODES, code);

export const isDriverErrorCode = (code: string): code is DriverErrorCode =>
  isErrorCode(code) && (ERROR_CODES[code] as ErrorCodeEntry).driver === true;

export const exitCodeOf = (code: ErrorCode): ExitCode => ERROR_CODES[code].exit;
