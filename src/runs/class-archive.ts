// The driver JVM's class-data archive on this machine: finding the JVM and the jars it is keyed by, the writer's lock, the
// atomic rename of a written archive, pruning. The decisions are pure (src/submit/class-archive.ts); this is the edge.
import { randomBytes } from "node:crypto";
import { closeSync, existsSync, fstatSync, mkdirSync, openSync, readdirSync, readFileSync, readSync, realpathSync, statSync, writeFileSync, type Stats } from "node:fs";
import { readdir, readFile, rename, rm, stat, utimes } from "node:fs/promises";
import { homedir } from "node:os";
import { delimiter, dirname, join } from "node:path";
import type { SparkSpec } from "../jobspec/schema.js";
import { mlshipHome } from "../setup/home.js";
import {
  classArchiveBlocked,
  classArchiveKey,
  classArchiveName,
  classArchiveOff,
  CLASS_ARCHIVE_ENV,
  decideClassArchive,
  looksLikeArchive,
  type ClassArchiveChoice,
  type FileStamp,
} from "../submit/class-archive.js";
import type { ClusterManager } from "../submit/master.js";
import type { SparkBuild } from "../submit/types.js";

const LOCK_FRESH_MS = 60 * 60 * 1000; // a writer's lock older than this is taken over (its run died or runs long)
const PRUNE_ARCHIVE_MS = 30 * 24 * 60 * 60 * 1000; // another key's archive unused this long is removed
const PRUNE_TMP_MS = 24 * 60 * 60 * 1000; // a temporary file or lock this old is left over from a killed run
const TOUCH_MS = 24 * 60 * 60 * 1000; // a used archive's mtime is refreshed at most once a day (pruning reads it)

// A run's choice and what finishing it needs (the writer's lock).
export interface ClassArchiveRun {
  choice: ClassArchiveChoice;
  lock?: { path: string; token: string };
}

export interface ClassArchiveInput {
  env: Record<string, string | undefined>; // the environment spark-submit runs in
  spark: SparkSpec;
  manager: ClusterManager | undefined;
  build: SparkBuild | undefined;
  defaults: Record<string, string> | undefined;
}

// The folder the archives live in: $MLSHIP_HOME/cds (one file per JVM and Spark build).
export const classArchiveDir = (env: Record<string, string | undefined>): string => join(mlshipHome(env, homedir()), "cds");

// What a run would do, read from the disk without writing anything: `plan` shows it, `train` then takes the lock.
// The temporary name carries the run id, so `plan` prints the argv `train` runs. Never throws: a problem is a skip.
export function inspectClassArchive(input: ClassArchiveInput, runId: string): ClassArchiveChoice {
  const skip = (reason: string): ClassArchiveChoice => ({ action: "skip", reason });
  if (classArchiveOff(input.env)) return skip(`${CLASS_ARCHIVE_ENV}=${input.env[CLASS_ARCHIVE_ENV]}`);
  const blocked = classArchiveBlocked(input.spark, input.manager, input.defaults);
  if (blocked) return skip(blocked);
  if (!input.build) return skip("Spark's jars were not found");
  try {
    const java = javaFacts(input.env);
    if (!java) return skip("the JVM spark-submit runs was not found");
    const classPath = classPathEntries(input.env, input.build, input.spark, input.defaults);
    const key = classArchiveKey({ ...java, jarsDir: input.build.jarsDir, jarsDirMtimeMs: statSync(input.build.jarsDir).mtimeMs, jars: input.build.jars, classPath });
    const final = join(classArchiveDir(input.env), classArchiveName(key));
    const archive = archiveState(final);
    const dumpBlocker = archive === "valid" ? null : nonEmptyDirectory(classPath);
    const lock = statSafe(`${final}.lock`);
    const writerActive = lock !== undefined && Date.now() - lock.mtimeMs < LOCK_FRESH_MS;
    return decideClassArchive({ final, tmp: `${final}.tmp-${runId}`, archive, writerActive, dumpBlocker });
  } catch (err) {
    return skip(`not usable here: ${err instanceof Error ? err.message : String(err)}`);
  }
}

// Chooses use, write or skip for one run; a write takes the writer's lock (another run holding it: skip). Never throws.
export function prepareClassArchive(input: ClassArchiveInput, runId: string): ClassArchiveRun {
  const choice = inspectClassArchive(input, runId);
  if (choice.action !== "write") return { choice };
  try {
    mkdirSync(dirname(choice.final), { recursive: true });
    const lock = takeLock(`${choice.final}.lock`);
    return lock ? { choice, lock } : { choice: { action: "skip", reason: "another run is writing it" } };
  } catch (err) {
    return { choice: { action: "skip", reason: `not usable here: ${err instanceof Error ? err.message : String(err)}` } };
  }
}

// After the run: a written archive goes under its final name if the run succeeded and the file is plausible, else it is
// removed; a used one has its mtime refreshed. Returns a warning, or null. Never throws.
export async function finishClassArchive(run: ClassArchiveRun, succeeded: boolean): Promise<string | null> {
  const { choice } = run;
  try {
    if (choice.action === "use") {
      const s = await stat(choice.file).catch(() => undefined);
      if (s && Date.now() - s.mtimeMs > TOUCH_MS) await utimes(choice.file, new Date(), new Date());
      return null;
    }
    if (choice.action !== "write") return null;
    const state = succeeded ? archiveState(choice.file) : "absent";
    // rename() replaces atomically: a concurrent writer's archive, or none, is what a reader sees, never a partial file.
    if (state === "valid") await rename(choice.file, choice.final);
    else await rm(choice.file, { force: true });
    await prune(dirname(choice.final), choice.final);
    return null;
  } catch (err) {
    if (choice.action === "write") await rm(choice.file, { force: true }).catch(() => undefined);
    return `the class-data archive was not kept: ${err instanceof Error ? err.message : String(err)}`;
  } finally {
    if (run.lock) await releaseLock(run.lock);
  }
}

// The JVM spark-class runs ($JAVA_HOME/bin/java, else java on PATH): its home, release file and libjvm's stamp.
function javaFacts(env: Record<string, string | undefined>): { javaHome: string; javaRelease: string; libjvm: FileStamp } | undefined {
  const candidates = env.JAVA_HOME ? [join(env.JAVA_HOME, "bin", "java")] : (env.PATH ?? "").split(delimiter).filter(Boolean).map((d) => join(d, "java"));
  for (const bin of candidates) {
    if (!existsSync(bin)) continue; // cheaper than a thrown ENOENT per PATH entry (`plan` runs this too)
    let real: string;
    try {
      real = realpathSync(bin);
    } catch {
      continue;
    }
    const javaHome = dirname(dirname(real));
    let javaRelease = "";
    try {
      javaRelease = readFileSync(join(javaHome, "release"), "utf8");
    } catch {
      /* a JDK without a release file: libjvm's stamp still tells builds apart */
    }
    for (const lib of ["lib/server/libjvm.so", "lib/server/libjvm.dylib", "jre/lib/amd64/server/libjvm.so"]) {
      const s = statSafe(join(javaHome, lib));
      if (s) return { javaHome, javaRelease, libjvm: { name: lib, size: s.size, mtimeMs: s.mtimeMs } };
    }
    return undefined;
  }
  return undefined;
}

// A file's stat, or undefined when it is not there.
function statSafe(path: string): Stats | undefined {
  try {
    return statSync(path, { throwIfNoEntry: false });
  } catch {
    return undefined;
  }
}

// The driver's class-path entries besides the jars: spark.driver.extraClassPath, the conf dir, Hadoop's and YARN's
// conf dirs, SPARK_DIST_CLASSPATH (the order of Spark's launcher, AbstractCommandBuilder.buildClassPath).
function classPathEntries(env: Record<string, string | undefined>, build: SparkBuild, spark: SparkSpec, defaults: Record<string, string> | undefined): string[] {
  const extra = spark.driver.classPath ?? (spark.conf["spark.driver.extraClassPath"] !== undefined ? String(spark.conf["spark.driver.extraClassPath"]) : defaults?.["spark.driver.extraClassPath"]);
  const split = (s: string | undefined) => (s ?? "").split(delimiter).filter(Boolean);
  return [
    ...split(extra),
    env.SPARK_CONF_DIR || join(dirname(build.jarsDir), "conf"),
    ...split(env.HADOOP_CONF_DIR),
    ...split(env.YARN_CONF_DIR),
    ...split(env.SPARK_DIST_CLASSPATH),
  ];
}

// The first class-path entry that is a non-empty directory, as a reason: Java 17 then refuses to write the archive and
// fails the run at its exit ("Cannot have non-empty directory in paths"), so mlship does not ask it to.
function nonEmptyDirectory(entries: string[]): string | null {
  for (const entry of entries) {
    if (entry.endsWith("*")) continue;
    let names: string[];
    try {
      names = readdirSync(entry);
    } catch {
      continue; // missing, or a file (a jar)
    }
    if (names.length > 0) return `the JVM cannot write one with a non-empty directory on the class path (${entry})`;
  }
  return null;
}

// Whether a file is there and looks like a complete archive.
function archiveState(path: string): "valid" | "invalid" | "absent" {
  let fd: number;
  try {
    fd = openSync(path, "r");
  } catch {
    return "absent";
  }
  try {
    const { size } = fstatSync(fd);
    const head = new Uint8Array(4);
    readSync(fd, head, 0, 4, 0);
    return looksLikeArchive(head, size) ? "valid" : "invalid";
  } finally {
    closeSync(fd);
  }
}

// Creates the writer's lock, or takes over a stale one; undefined when another run holds a fresh one.
function takeLock(path: string): { path: string; token: string } | undefined {
  const token = `${process.pid}-${randomBytes(6).toString("hex")}`;
  try {
    writeFileSync(path, token, { flag: "wx" });
    return { path, token };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
  }
  const s = statSafe(path);
  if (s && Date.now() - s.mtimeMs < LOCK_FRESH_MS) return undefined;
  writeFileSync(path, token); // a stale lock: two runs taking it over at once both write, and the last rename wins
  return { path, token };
}

// Removes the lock if it is still this run's.
async function releaseLock(lock: { path: string; token: string }): Promise<void> {
  const now = await readFile(lock.path, "utf8").catch(() => undefined);
  if (now === lock.token) await rm(lock.path, { force: true }).catch(() => undefined);
}

// Removes other keys' archives unused for 30 days, and temporary files and locks a killed run left a day ago.
async function prune(dir: string, keep: string): Promise<void> {
  const now = Date.now();
  for (const name of await readdir(dir).catch(() => [] as string[])) {
    const path = join(dir, name);
    if (path === keep || !name.startsWith("spark-driver-")) continue;
    const s = await stat(path).catch(() => undefined);
    if (!s) continue;
    const old = name.endsWith(".jsa") ? now - s.mtimeMs > PRUNE_ARCHIVE_MS : now - s.mtimeMs > PRUNE_TMP_MS;
    if (old) await rm(path, { force: true }).catch(() => undefined);
  }
}
