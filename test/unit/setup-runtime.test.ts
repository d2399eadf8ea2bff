// `mlship setup`'s pure parts: MLSHIP_HOME, the requirements' key, which runtime train/update/plan use, the lock, the Java and Python checks.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { javaMajor, javaVerdict, pickPython, pythonCandidates, type ProbeRun } from "../../src/setup/checks.js";
import { COMPLETE_MARKER, mlshipHome, requirementLines, runtimeDir, runtimeKey } from "../../src/setup/home.js";
import { lockState, lockText, UNREADABLE_GRACE_MS } from "../../src/setup/lock.js";
import { findSparkSubmit } from "../../src/submit/index.js";

const root = join(import.meta.dirname, "..", "..");

describe("MLSHIP_HOME", () => {
  it.each([
    [{ MLSHIP_HOME: "/opt/mlship", XDG_CACHE_HOME: "/x" }, "/opt/mlship"],
    [{ XDG_CACHE_HOME: "/var/cache/me" }, "/var/cache/me/mlship"],
    [{ XDG_CACHE_HOME: "relative/cache" }, "/home/u/.cache/mlship"], // the XDG rule: a relative value is ignored
    [{ XDG_CACHE_HOME: "" }, "/home/u/.cache/mlship"],
    [{}, "/home/u/.cache/mlship"],
  ])("%j -> %s", (env, home) => {
    expect(mlshipHome(env, "/home/u")).toBe(home);
  });

  it("keys a runtime by its requirement lines, not by comments or blank lines", () => {
    const a = runtimeKey("pyspark==4.1.1\nnumpy==2.2.6\n");
    expect(a).toMatch(/^[0-9a-f]{12}$/);
    expect(runtimeKey("# the runtime\n\npyspark==4.1.1   # Spark\r\nnumpy==2.2.6\n")).toBe(a);
    expect(runtimeKey("pyspark==4.1.1\nnumpy==2.2.7\n")).not.toBe(a);
    expect(runtimeDir("/h", a)).toBe(`/h/python/${a}`);
  });

  it("a clone's requirements.txt pins exactly the runtime's packages, plus the test tools", () => {
    const runtime = requirementLines(readFileSync(join(root, "spark-scripts", "requirements-runtime.txt"), "utf8"));
    const all = requirementLines(readFileSync(join(root, "spark-scripts", "requirements.txt"), "utf8"));
    expect(runtime.map((l) => l.split("==")[0])).toEqual(["pyspark", "pyarrow", "numpy"]);
    expect(all.filter((l) => !runtime.includes(l)).map((l) => l.split("==")[0])).toEqual(["pytest", "moto[server]"]);
    expect(runtime.every((l) => all.includes(l))).toBe(true);
  });
});

describe("which runtime train/update/plan use", () => {
  const ROOT = "/pkg";
  const RT = { dir: "/home/u/.cache/mlship/python/abc123abc123", marker: COMPLETE_MARKER };
  const complete = [`${RT.dir}/${COMPLETE_MARKER}`, `${RT.dir}/bin/spark-submit`, `${RT.dir}/bin/python`];
  const existing = (...paths: string[]) => (p: string) => new Set(paths).has(p);

  it("SPARK_HOME (bring your own) comes first, then a clone's .venv, then the setup runtime, then PATH", () => {
    const all = ["/opt/spark/bin/spark-submit", `${ROOT}/.venv/bin/spark-submit`, ...complete, "/usr/bin/spark-submit"];
    const find = (env: Record<string, string>, paths: string[]) => findSparkSubmit({ env, projectRoot: ROOT, exists: existing(...paths), runtime: RT, clone: false });
    expect(find({ SPARK_HOME: "/opt/spark", PATH: "/usr/bin" }, all)).toMatchObject({ ok: true, source: "SPARK_HOME" });
    expect(find({ PATH: "/usr/bin" }, all)).toMatchObject({ ok: true, source: "venv" });
    expect(find({ PATH: "/usr/bin" }, all.slice(2))).toEqual({
      ok: true,
      path: `${RT.dir}/bin/spark-submit`,
      source: "MLSHIP_HOME",
      env: { PYSPARK_PYTHON: `${RT.dir}/bin/python` },
    });
    expect(find({ PATH: "/usr/bin" }, ["/usr/bin/spark-submit"])).toMatchObject({ ok: true, source: "PATH" });
  });

  it("never uses a half-built runtime (no marker)", () => {
    const r = findSparkSubmit({ env: {}, projectRoot: ROOT, exists: existing(`${RT.dir}/bin/spark-submit`), runtime: RT, clone: false });
    expect(r.ok).toBe(false);
  });

  it("an installed package says `mlship setup`, never `npm run setup`; a clone says `npm run setup`", () => {
    const pkg = findSparkSubmit({ env: { PATH: "/usr/bin" }, projectRoot: ROOT, exists: () => false, runtime: RT, clone: false });
    expect(pkg).toEqual({ ok: false, message: `spark-submit was not found (no SPARK_HOME, no runtime in ${RT.dir}, none on PATH): run \`mlship setup\` (installs Spark and the Python packages once per user) or set SPARK_HOME to a Spark 4 installation` });
    const badHome = findSparkSubmit({ env: { SPARK_HOME: "/nope" }, projectRoot: ROOT, exists: () => false, runtime: RT, clone: false });
    expect(!badHome.ok && badHome.message).not.toContain("npm run setup");
    const clone = findSparkSubmit({ env: {}, projectRoot: ROOT, exists: () => false, runtime: RT, clone: true });
    expect(!clone.ok && clone.message).toContain("npm run setup");
  });
});

describe("the set-up lock", () => {
  const here = { host: "h1", alive: (pid: number) => pid === 10, ageMs: 5_000 };
  it.each([
    [lockText(10, "h1", new Date(0)), "held"], // a live holder here
    [lockText(11, "h1", new Date(0)), "stale"], // its holder died
    [lockText(11, "h2", new Date(0)), "held"], // another host's (a shared MLSHIP_HOME): cannot be checked, so waited for
    ["", "held"], // being written
    ["{", "held"],
  ])("%j is %s", (text, state) => {
    expect(lockState(text, here)).toBe(state);
  });

  it("an unreadable lock older than the grace is stale", () => {
    expect(lockState("", { ...here, ageMs: UNREADABLE_GRACE_MS + 1 })).toBe("stale");
  });
});

describe("the Java and Python checks", () => {
  it.each([
    ['openjdk version "17.0.15" 2025-04-15', 17],
    ['java version "1.8.0_402"', 8],
    ['openjdk version "21" 2023-09-19', 21],
    ["nothing", undefined],
  ])("java -version %j -> %s", (text, major) => {
    expect(javaMajor(text)).toBe(major);
  });

  it("says what is wrong with Java", () => {
    expect(javaVerdict({ file: "java", ok: true, stdout: "", stderr: 'openjdk version "17.0.15"' }, false)).toEqual({ ok: true, file: "java", major: 17 });
    expect(javaVerdict({ file: "/j/bin/java", ok: true, stdout: "", stderr: 'java version "1.8.0_402"' }, true)).toEqual({
      ok: false,
      message: "/j/bin/java (JAVA_HOME) is Java 8; Spark 4 needs Java 17 or newer",
    });
    expect(javaVerdict({ file: "java", ok: false, detail: "not found" }, false)).toEqual({ ok: false, message: "Java was not found: java (PATH): not found; Spark 4 needs Java 17 or newer" });
  });

  it("tries MLSHIP_PYTHON alone when set, else python3 then versioned names", () => {
    expect(pythonCandidates({ MLSHIP_PYTHON: "/opt/py/bin/python" })).toEqual(["/opt/py/bin/python"]);
    expect(pythonCandidates({})[0]).toBe("python3");
  });

  it("picks the first Python 3.10+ with venv, and otherwise says what each lacked", () => {
    const runs: ProbeRun[] = [
      { file: "python3", ok: true, stdout: "mlship-python 3.9.2 1\n", stderr: "" },
      { file: "python3.12", ok: true, stdout: "mlship-python 3.12.1 0\n", stderr: "" },
      { file: "python3.11", ok: false, detail: "not found" },
    ];
    expect(pickPython(runs)).toEqual({
      ok: false,
      message:
        "no Python 3.10 or newer with venv was found (python3: Python 3.9.2, older than 3.10; python3.12: Python 3.12.1 without the venv module (Debian: apt-get install python3-venv); python3.11: not found)",
    });
    expect(pickPython([...runs, { file: "python3.10", ok: true, stdout: "mlship-python 3.10.12 1\n", stderr: "" }])).toEqual({ ok: true, file: "python3.10", version: "3.10.12" });
  });
});
