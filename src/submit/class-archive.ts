// The driver JVM's class-data archive (dynamic AppCDS): its key, whether a run uses, writes or skips it, its Java options. Pure.
import { createHash } from "node:crypto";
import type { SparkSpec } from "../jobspec/schema.js";
import type { ClusterManager } from "./master.js";

// The opt-out: MLSHIP_CLASS_ARCHIVE=off (also 0, false, no) runs every driver JVM without an archive.
export const CLASS_ARCHIVE_ENV = "MLSHIP_CLASS_ARCHIVE";
// A dynamic archive's first four bytes (HotSpot's CDS_DYNAMIC_ARCHIVE_MAGIC, little-endian on disk).
export const DYNAMIC_ARCHIVE_MAGIC = 0xf00baba8;
// A complete archive of Spark's classes is 100+ MB; anything under this is not one.
export const MIN_ARCHIVE_BYTES = 1024 * 1024;

// What a run does with the archive: map it (use), write it at the driver's exit (write), or neither (skip, and why).
export type ClassArchiveChoice =
  | { action: "use"; file: string }
  | { action: "write"; file: string; final: string } // file: this run's unique temporary name, renamed to final on success
  | { action: "skip"; reason: string };

// A choice that adds Java options (the plan's input).
export type ClassArchive = Exclude<ClassArchiveChoice, { action: "skip" }>;

// A file's identity as the JVM checks it: its name, size and modification time.
export interface FileStamp {
  name: string;
  size: number;
  mtimeMs: number;
}

// What the archive depends on: the JVM that wrote it and the driver's class path (CDS refuses a different one).
export interface ClassArchiveKeyFacts {
  javaHome: string;
  javaRelease: string; // $JAVA_HOME/release, or "" when the JDK has none
  libjvm: FileStamp;
  jarsDir: string; // as spark-submit's launcher writes it into the class path
  jarsDirMtimeMs: number; // a jar added, removed or replaced (pip, a new Spark) changes it; stat-ing each jar costs `plan` ms
  jars: string[]; // the jars' names
  classPath: string[]; // the other class-path entries: the conf dir, HADOOP_CONF_DIR, YARN_CONF_DIR, extra entries
}

// The archive's key: 16 hex digits of a sha256 over the facts, in a stable order.
export function classArchiveKey(facts: ClassArchiveKeyFacts): string {
  const stamp = (f: FileStamp) => `${f.name}\t${f.size}\t${Math.trunc(f.mtimeMs)}`;
  const text = [
    `java\t${facts.javaHome}`,
    facts.javaRelease.trim(),
    stamp(facts.libjvm),
    `jars\t${facts.jarsDir}\t${Math.trunc(facts.jarsDirMtimeMs)}`,
    ...[...facts.jars].sort(),
    ...facts.classPath.map((p) => `cp\t${p}`),
  ].join("\n");
  return createHash("sha256").update(text).digest("hex").slice(0, 16);
}

// The archive's file name for a key.
export const classArchiveName = (key: string): string => `spark-driver-${key}.jsa`;

// Whether the environment turns the archive off.
export function classArchiveOff(env: Record<string, string | undefined>): boolean {
  const v = (env[CLASS_ARCHIVE_ENV] ?? "").trim().toLowerCase();
  return v === "off" || v === "0" || v === "false" || v === "no";
}

// Why this run's driver cannot take mlship's Java options, or null: it runs elsewhere (cluster deploy mode), or the
// spec or spark-defaults sets the driver's Java options itself (mlship adds to neither; the same rule as SHORT_RUN_CONF).
export function classArchiveBlocked(spark: SparkSpec, manager: ClusterManager | undefined, defaults: Record<string, string> | undefined): string | null {
  if (manager === undefined) return "the master is not recognised";
  if (manager !== "local" && spark.deployMode === "cluster") return "the driver runs on the cluster";
  const key = "spark.driver.extraJavaOptions";
  if (spark.driver.javaOptions !== undefined || spark.conf[key] !== undefined || Boolean(defaults?.[key])) {
    return "the spec or spark-defaults sets the driver's Java options";
  }
  return null;
}

// What a run on this machine finds when it looks for the archive.
export interface ClassArchiveState {
  final: string; // the archive's path for this run's key
  tmp: string; // a unique temporary name next to it
  archive: "valid" | "invalid" | "absent"; // the file under the final name
  writerActive: boolean; // another run holds the writer's lock (a fresh one)
  dumpBlocker: string | null; // why the JVM could not write an archive here (a non-empty directory on the class path)
}

// Use a valid archive; write one when none is there, no other run is writing it, and the JVM can; else skip.
export function decideClassArchive(s: ClassArchiveState): ClassArchiveChoice {
  if (/[\s"'\\]/.test(s.final)) return { action: "skip", reason: `its path has a space or a quote (${s.final})` };
  if (s.archive === "valid") return { action: "use", file: s.final };
  if (s.dumpBlocker !== null) return { action: "skip", reason: s.dumpBlocker };
  if (s.writerActive) return { action: "skip", reason: "another run is writing it" };
  return { action: "write", file: s.tmp, final: s.final };
}

// Whether a file's first bytes and size look like a complete dynamic archive (a truncated one crashes the JVM that maps it).
export function looksLikeArchive(head: Uint8Array, size: number): boolean {
  if (size < MIN_ARCHIVE_BYTES || head.length < 4) return false;
  return new DataView(head.buffer, head.byteOffset, 4).getUint32(0, true) === DYNAMIC_ARCHIVE_MAGIC;
}

// The driver's Java options for a choice. CDS's own log is off: a write prints thousands of "Skipping …" lines.
export function classArchiveJavaOptions(a: ClassArchive): string[] {
  const flag = a.action === "use" ? `-XX:SharedArchiveFile=${a.file}` : `-XX:ArchiveClassesAtExit=${a.file}`;
  return [flag, "-Xlog:cds=off", "-Xlog:cds+dynamic=off"];
}

// One line for the run's progress: what the driver does with the archive.
export function describeClassArchive(c: ClassArchiveChoice): string {
  if (c.action === "use") return `class-data archive: using ${c.file}`;
  if (c.action === "write") return `class-data archive: writing ${c.final} at the driver's exit`;
  return `class-data archive: none (${c.reason})`;
}
