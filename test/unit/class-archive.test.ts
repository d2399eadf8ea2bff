// The driver JVM's class-data archive: its key, the use/write/skip decision, its Java options in the plan, and the edge's
// write-then-rename on a temporary folder (a fake JDK and fake jars; no JVM runs).
import { mkdir, mkdtemp, readdir, rm, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { finishClassArchive, inspectClassArchive, prepareClassArchive } from "../../src/runs/class-archive.js";
import { buildPlan } from "../../src/submit/index.js";
import {
  classArchiveBlocked,
  classArchiveKey,
  classArchiveOff,
  decideClassArchive,
  describeClassArchive,
  DYNAMIC_ARCHIVE_MAGIC,
  looksLikeArchive,
  MIN_ARCHIVE_BYTES,
  type ClassArchive,
  type ClassArchiveKeyFacts,
} from "../../src/submit/class-archive.js";
import { makeSpec, OUT, ROOT, RUN_DIR, RUN_ID, SPARK_SUBMIT } from "../helpers/submit-fixtures.js";

const FACTS: ClassArchiveKeyFacts = {
  javaHome: "/usr/lib/jvm/java-17",
  javaRelease: 'JAVA_VERSION="17.0.15"\n',
  libjvm: { name: "lib/server/libjvm.so", size: 100, mtimeMs: 1 },
  jarsDir: "/venv/pyspark/jars",
  jarsDirMtimeMs: 5,
  jars: ["a.jar", "b.jar"],
  classPath: ["/venv/pyspark/conf"],
};

describe("classArchiveKey", () => {
  it("is stable, whatever the order the jars are listed in", () => {
    const key = classArchiveKey(FACTS);
    expect(key).toMatch(/^[0-9a-f]{16}$/);
    expect(classArchiveKey({ ...FACTS, jars: [...FACTS.jars].reverse() })).toBe(key);
  });
  it.each<[string, Partial<ClassArchiveKeyFacts>]>([
    ["another JDK", { javaHome: "/usr/lib/jvm/java-21" }],
    ["another Java update", { javaRelease: 'JAVA_VERSION="17.0.16"' }],
    ["a rebuilt libjvm", { libjvm: { name: "lib/server/libjvm.so", size: 101, mtimeMs: 1 } }],
    ["another jars folder", { jarsDir: "/other/jars" }],
    ["a jar more", { jars: [...FACTS.jars, "c.jar"] }],
    ["a jar renamed", { jars: ["a.jar", "b2.jar"] }],
    ["the jars folder changed (a jar replaced)", { jarsDirMtimeMs: 6 }],
    ["another conf dir", { classPath: ["/etc/spark"] }],
  ])("changes with %s", (_, over) => {
    expect(classArchiveKey({ ...FACTS, ...over })).not.toBe(classArchiveKey(FACTS));
  });
});

describe("decideClassArchive", () => {
  const base = { final: "/h/cds/spark-driver-k.jsa", tmp: "/h/cds/spark-driver-k.jsa.tmp-1-ab", archive: "absent" as const, writerActive: false, dumpBlocker: null };
  it.each([
    ["a valid archive is used", { archive: "valid" }, { action: "use", file: base.final }],
    ["a valid archive is used even while another run writes", { archive: "valid", writerActive: true }, { action: "use", file: base.final }],
    ["none: this run writes it under a unique name", {}, { action: "write", file: base.tmp, final: base.final }],
    ["an invalid file is replaced", { archive: "invalid" }, { action: "write", file: base.tmp, final: base.final }],
    ["another writer: skip", { writerActive: true }, { action: "skip", reason: "another run is writing it" }],
    ["the JVM cannot write one: skip", { dumpBlocker: "a non-empty directory" }, { action: "skip", reason: "a non-empty directory" }],
    ["a path with a space: skip", { archive: "valid", final: "/my home/cds/x.jsa" }, { action: "skip", reason: "its path has a space or a quote (/my home/cds/x.jsa)" }],
  ])("%s", (_, over, expected) => {
    expect(decideClassArchive({ ...base, ...over } as Parameters<typeof decideClassArchive>[0])).toEqual(expected);
  });
});

describe("the rules around it", () => {
  it("MLSHIP_CLASS_ARCHIVE=off (0, false, no) turns it off", () => {
    expect(["off", "OFF", "0", "false", "no"].map((v) => classArchiveOff({ MLSHIP_CLASS_ARCHIVE: v }))).toEqual([true, true, true, true, true]);
    expect([undefined, "", "on", "1"].map((v) => classArchiveOff({ MLSHIP_CLASS_ARCHIVE: v }))).toEqual([false, false, false, false]);
  });
  it("only a driver on this machine whose Java options mlship may set gets one", () => {
    expect(classArchiveBlocked(makeSpec({ spark: { master: "local[2]" } }).spark, "local", undefined)).toBeNull();
    expect(classArchiveBlocked(makeSpec({ spark: { master: "spark://m:7077" } }).spark, "standalone", undefined)).toBeNull();
    expect(classArchiveBlocked(makeSpec({ spark: { master: "yarn", deployMode: "cluster" } }).spark, "yarn", undefined)).toBe("the driver runs on the cluster");
    const own = "the spec or spark-defaults sets the driver's Java options";
    expect(classArchiveBlocked(makeSpec({ spark: { driver: { javaOptions: "-Xss4m" } } }).spark, "local", undefined)).toBe(own);
    expect(classArchiveBlocked(makeSpec({ spark: { conf: { "spark.driver.extraJavaOptions": "-Xss4m" } } }).spark, "local", undefined)).toBe(own);
    expect(classArchiveBlocked(makeSpec().spark, "local", { "spark.driver.extraJavaOptions": "-Xss4m" })).toBe(own);
  });
  it("looksLikeArchive: the dynamic archive's magic and at least a megabyte", () => {
    const head = new Uint8Array(4);
    new DataView(head.buffer).setUint32(0, DYNAMIC_ARCHIVE_MAGIC, true);
    expect(looksLikeArchive(head, MIN_ARCHIVE_BYTES)).toBe(true);
    expect(looksLikeArchive(head, MIN_ARCHIVE_BYTES - 1)).toBe(false);
    expect(looksLikeArchive(new Uint8Array([0, 0, 0, 0]), MIN_ARCHIVE_BYTES)).toBe(false);
  });
  it("describes the choice in one line", () => {
    expect(describeClassArchive({ action: "use", file: "/c/a.jsa" })).toBe("class-data archive: using /c/a.jsa");
    expect(describeClassArchive({ action: "write", file: "/c/a.jsa.tmp", final: "/c/a.jsa" })).toBe("class-data archive: writing /c/a.jsa at the driver's exit");
  });
});

describe("the plan's driver Java options", () => {
  const javaOptions = (over: Record<string, unknown>, classArchive: ClassArchive | undefined, x: { shortRun?: boolean; sparkDefaults?: Record<string, string> } = {}) => {
    const r = buildPlan({
      spec: makeSpec(over), runId: RUN_ID, outUri: OUT, projectRoot: ROOT, sparkSubmit: SPARK_SUBMIT, env: {}, runDir: RUN_DIR,
      secrets: [], ...(classArchive ? { classArchive } : {}), ...x,
    });
    if (!r.ok) throw new Error(JSON.stringify(r.problems));
    return r.plan.argv.filter((a) => a.startsWith("spark.driver.extraJavaOptions=") || a === "--driver-java-options" || a.startsWith("-X"));
  };
  const use: ClassArchive = { action: "use", file: "/h/cds/spark-driver-k.jsa" };
  const write: ClassArchive = { action: "write", file: "/h/cds/spark-driver-k.jsa.tmp-7-ab", final: "/h/cds/spark-driver-k.jsa" };
  const local = { spark: { master: "local[2]" } };

  it("a train on a local master uses or writes it", () => {
    expect(javaOptions(local, use)).toEqual(["spark.driver.extraJavaOptions=-XX:SharedArchiveFile=/h/cds/spark-driver-k.jsa -Xlog:cds=off -Xlog:cds+dynamic=off"]);
    expect(javaOptions(local, write)).toEqual(["spark.driver.extraJavaOptions=-XX:ArchiveClassesAtExit=/h/cds/spark-driver-k.jsa.tmp-7-ab -Xlog:cds=off -Xlog:cds+dynamic=off"]);
  });
  it("a short update's fast JIT tier comes first, in the same option", () => {
    expect(javaOptions(local, use, { shortRun: true })).toEqual([
      "spark.driver.extraJavaOptions=-XX:TieredStopAtLevel=1 -XX:SharedArchiveFile=/h/cds/spark-driver-k.jsa -Xlog:cds=off -Xlog:cds+dynamic=off",
    ]);
  });
  it("a client-mode driver on a cluster gets it; a cluster-mode driver does not", () => {
    expect(javaOptions({ spark: { master: "spark://m:7077" } }, use)).toHaveLength(1);
    expect(javaOptions({ spark: { master: "yarn", deployMode: "cluster" } }, use)).toEqual([]);
  });
  it("the spec's or spark-defaults' own Java options are left alone", () => {
    expect(javaOptions({ spark: { master: "local[2]", conf: { "spark.driver.extraJavaOptions": "-Xss4m" } } }, use)).toEqual(["spark.driver.extraJavaOptions=-Xss4m"]);
    expect(javaOptions({ spark: { master: "local[2]", driver: { javaOptions: "-Xss4m" } } }, use)).toEqual(["--driver-java-options", "-Xss4m"]);
    expect(javaOptions(local, use, { sparkDefaults: { "spark.driver.extraJavaOptions": "-Xss4m" } })).toEqual([]);
  });
  it("without a choice (validate, plan, or MLSHIP_CLASS_ARCHIVE=off) nothing is added", () => {
    expect(javaOptions(local, undefined)).toEqual([]);
  });
});

describe("prepareClassArchive, inspectClassArchive and finishClassArchive (temporary folders)", () => {
  let dir: string;
  let env: Record<string, string>;
  const spark = makeSpec({ spark: { master: "local[2]" } }).spark;
  const jarsDir = () => join(dir, "spark", "jars");
  const input = () => ({ env, spark, manager: "local" as const, build: { jarsDir: jarsDir(), jars: ["a.jar", "b.jar"] }, defaults: undefined });
  const archiveBytes = () => {
    const bytes = new Uint8Array(MIN_ARCHIVE_BYTES);
    new DataView(bytes.buffer).setUint32(0, DYNAMIC_ARCHIVE_MAGIC, true);
    return bytes;
  };

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "mlship-cds-"));
    await mkdir(join(dir, "jdk", "bin"), { recursive: true });
    await mkdir(join(dir, "jdk", "lib", "server"), { recursive: true });
    await writeFile(join(dir, "jdk", "bin", "java"), "");
    await writeFile(join(dir, "jdk", "lib", "server", "libjvm.so"), "jvm");
    await writeFile(join(dir, "jdk", "release"), 'JAVA_VERSION="17.0.15"\n');
    await mkdir(jarsDir(), { recursive: true });
    for (const j of ["a.jar", "b.jar"]) await writeFile(join(jarsDir(), j), j);
    env = { JAVA_HOME: join(dir, "jdk"), MLSHIP_HOME: join(dir, "home") };
  });
  afterEach(async () => rm(dir, { recursive: true, force: true }));

  it("the first run writes under a unique name, success renames it, the next run uses it", async () => {
    const first = prepareClassArchive(input(), "run-1");
    expect(first.choice.action).toBe("write");
    if (first.choice.action !== "write") return;
    expect(first.choice.final).toMatch(new RegExp(`^${join(dir, "home", "cds")}/spark-driver-[0-9a-f]{16}\\.jsa$`));
    expect(first.choice.file).toBe(`${first.choice.final}.tmp-run-1`); // the run id: plan shows the name train uses
    // What plan shows meanwhile: the writer's lock is there, so a run would not write.
    expect(inspectClassArchive(input(), "run-x")).toEqual({ action: "skip", reason: "another run is writing it" });
    // A second run meanwhile: the first holds the writer's lock, so it neither writes nor waits.
    expect(prepareClassArchive(input(), "run-2").choice).toEqual({ action: "skip", reason: "another run is writing it" });
    await writeFile(first.choice.file, archiveBytes()); // what the JVM writes at its exit
    expect(await finishClassArchive(first, true)).toBeNull();
    expect(prepareClassArchive(input(), "run-3").choice).toEqual({ action: "use", file: first.choice.final });
    expect(await readdir(join(dir, "home", "cds"))).toEqual([first.choice.final.split("/").pop()]);
  });
  it("a failed run, or an implausible file, leaves nothing under the final name", async () => {
    for (const [succeeded, bytes] of [[false, archiveBytes()], [true, new Uint8Array(10)]] as const) {
      const run = prepareClassArchive(input(), "run-4");
      if (run.choice.action !== "write") throw new Error(run.choice.action);
      await writeFile(run.choice.file, bytes);
      await finishClassArchive(run, succeeded);
      expect(await readdir(join(dir, "home", "cds"))).toEqual([]);
    }
  });
  it("a stale lock (a killed writer) is taken over", async () => {
    const first = prepareClassArchive(input(), "run-5");
    if (first.choice.action !== "write" || !first.lock) throw new Error("no write");
    const old = new Date(Date.now() - 2 * 60 * 60 * 1000);
    await utimes(first.lock.path, old, old);
    expect(prepareClassArchive(input(), "run-6").choice.action).toBe("write");
  });
  it("a non-empty directory on the class path: skipped (Java 17 would fail the run at its exit)", async () => {
    await mkdir(join(dir, "conf"));
    await writeFile(join(dir, "conf", "spark-defaults.conf"), "spark.ui.enabled false\n");
    const run = prepareClassArchive({ ...input(), env: { ...env, SPARK_CONF_DIR: join(dir, "conf") } }, "run-10");
    expect(run.choice).toEqual({ action: "skip", reason: `the JVM cannot write one with a non-empty directory on the class path (${join(dir, "conf")})` });
  });
  it("off, a cluster-mode driver, no jars or no JVM: skipped", async () => {
    expect(prepareClassArchive({ ...input(), env: { ...env, MLSHIP_CLASS_ARCHIVE: "off" } }, "run-7").choice).toEqual({ action: "skip", reason: "MLSHIP_CLASS_ARCHIVE=off" });
    expect(prepareClassArchive({ ...input(), build: undefined }, "run-8").choice.action).toBe("skip");
    expect(prepareClassArchive({ ...input(), env: { MLSHIP_HOME: env.MLSHIP_HOME!, PATH: "" } }, "run-9").choice).toEqual({ action: "skip", reason: "the JVM spark-submit runs was not found" });
  });
});
