// The driver JVM's class-data archive on this machine: finding the JVM and the jars it is keyed by, the writer's lock, the
// atomic rename of a written archive, pruning. The decisions are pure (src/submit/class-archive.ts); this is the edge.
import { randomBytes } from "node:crypto";
import { open, readdir, readFile, realpath, rename, rm, stat, utimes, writeFile, mkdir } from "node:fs/promises";
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

// Chooses use, write or skip for one run (a write takes the writer's lock). Never throws: a problem is a skip.
export async function prepareClassArchive(input: ClassArchiveInput): Promise<ClassArchiveRun> {
  const skip = (reason: string): ClassArchiveRun => ({ choice: { action: "skip", reason } });
  if (classArchiveOff(input.env)) return skip(`${CLASS_ARCHIVE_ENV}=${input.env[CLASS_ARCHIVE_ENV]}`);
  const blocked = classArchiveBlocked(input.spark, input.manager, input.defaults);
  if (blocked) return skip(blocked);
  if (!input.build) return skip("Spark's jars were not found");
  try {
    const java = await javaFacts(input.env);
    if (!java) return skip("the JVM spark-submit runs was not found");
    const classPath = classPathEntries(input.env, input.build, input.spark, input.defaults);
    const key = classArchiveKey({ ...java, jarsDir: input.build.jarsDir, jars: await stamps(input.build.jarsDir, input.build.jars), classPath });
    const dir = classArchiveDir(input.env);
    await mkdir(dir, { recursive: true });
    const final = join(dir, classArchiveName(key));
    const tmp = `${final}.tmp-${process.pid}-${randomBytes(4).toString("hex")}`;
    const archive = await archiveState(final);
    const dumpBlocker = archive === "valid" ? null : await nonEmptyDirectory(classPath);
    let lock: ClassArchiveRun["lock"];
    let writerActive = false;
    if (archive !== "valid" && dumpBlocker === null) {
      lock = await takeLock(`${final}.lock`);
      writerActive = lock === undefined;
    }
    const choice = decideClassArchive({ final, tmp, archive, writerActive, dumpBlocker });
    if (choice.action !== "write" && lock) {
      await releaseLock(lock);
      lock = undefined;
    }
    return { choice, ...(lock ? { lock } : {}) };
  } catch (err) {
    return skip(`not usable here: ${err instanceof Error ? err.message : String(err)}`);
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
    const state = succeeded ? await archiveState(choice.file) : "absent";
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
async function javaFacts(env: Record<string, string | undefined>): Promise<{ javaHome: string; javaRelease: string; libjvm: FileStamp } | undefined> {
  const candidates = env.JAVA_HOME ? [join(env.JAVA_HOME, "bin", "java")] : (env.PATH ?? "").split(delimiter).filter(Boolean).map((d) => join(d, "java"));
  for (const bin of candidates) {
    const real = await realpath(bin).catch(() => undefined);
    if (!real) continue;
    const javaHome = dirname(dirname(real));
    const javaRelease = await readFile(join(javaHome, "release"), "utf8").catch(() => "");
    for (const lib of ["lib/server/libjvm.so", "lib/server/libjvm.dylib", "jre/lib/amd64/server/libjvm.so"]) {
      const s = await stat(join(javaHome, lib)).catch(() => undefined);
      if (s) return { javaHome, javaRelease, libjvm: { name: lib, size: s.size, mtimeMs: s.mtimeMs } };
    }
    return undefined;
  }
  return undefined;
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
async function nonEmptyDirectory(entries: string[]): Promise<string | null> {
  for (const entry of entries) {
    if (entry.endsWith("*")) continue;
    const names = await readdir(entry).catch(() => undefined);
    if (names && names.length > 0) return `the JVM cannot write one with a non-empty directory on the class path (${entry})`;
  }
  return null;
}

// The stamps of the jars, as the JVM checks them.
async function stamps(dir: string, names: string[]): Promise<FileStamp[]> {
  return Promise.all(names.map(async (name) => {
    const s = await stat(join(dir, name));
    return { name, size: s.size, mtimeMs: s.mtimeMs };
  }));
}

// Whether a file is there and looks like a complete archive.
async function archiveState(path: string): Promise<"valid" | "invalid" | "absent"> {
  let handle;
  try {
    handle = await open(path, "r");
  } catch {
    return "absent";
  }
  try {
    const { size } = await handle.stat();
    const head = new Uint8Array(4);
    await handle.read(head, 0, 4, 0);
    return looksLikeArchive(head, size) ? "valid" : "invalid";
  } finally {
    await handle.close();
  }
}

// Creates the writer's lock, or takes over a stale one; undefined when another run holds a fresh one.
async function takeLock(path: string): Promise<{ path: string; token: string } | undefined> {
  const token = `${process.pid}-${randomBytes(6).toString("hex")}`;
  try {
    await writeFile(path, token, { flag: "wx" });
    return { path, token };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
  }
  const s = await stat(path).catch(() => undefined);
  if (s && Date.now() - s.mtimeMs < LOCK_FRESH_MS) return undefined;
  await writeFile(path, token); // a stale lock: two runs taking it over at once both write, and the last rename wins
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
