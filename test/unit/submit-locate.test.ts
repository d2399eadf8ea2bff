// findSparkSubmit: SPARK_HOME, then the project's .venv, then PATH; a helpful message otherwise.
import { describe, expect, it } from "vitest";
import { classifyMaster, findSparkSubmit } from "../../src/submit/index.js";

const ROOT = "/work/proj";
const existing = (...paths: string[]) => {
  const set = new Set(paths);
  return (p: string) => set.has(p);
};

describe("findSparkSubmit", () => {
  it("prefers $SPARK_HOME/bin/spark-submit", () => {
    const exists = existing("/opt/spark/bin/spark-submit", `${ROOT}/.venv/bin/spark-submit`, "/usr/bin/spark-submit");
    expect(findSparkSubmit({ env: { SPARK_HOME: "/opt/spark", PATH: "/usr/bin" }, projectRoot: ROOT, exists })).toEqual({
      ok: true,
      path: "/opt/spark/bin/spark-submit",
      source: "SPARK_HOME",
      env: {},
    });
  });

  it("refuses a SPARK_HOME without spark-submit instead of silently using another Spark", () => {
    const r = findSparkSubmit({ env: { SPARK_HOME: "/opt/nope" }, projectRoot: ROOT, exists: existing(`${ROOT}/.venv/bin/spark-submit`) });
    expect(r).toEqual({ ok: false, message: expect.stringContaining("SPARK_HOME is /opt/nope, but /opt/nope/bin/spark-submit does not exist") });
  });

  it("uses the project's venv and points PYSPARK_PYTHON at its Python", () => {
    const exists = existing(`${ROOT}/.venv/bin/spark-submit`, `${ROOT}/.venv/bin/python`, "/usr/bin/spark-submit");
    expect(findSparkSubmit({ env: { PATH: "/usr/bin" }, projectRoot: ROOT, exists })).toEqual({
      ok: true,
      path: `${ROOT}/.venv/bin/spark-submit`,
      source: "venv",
      env: { PYSPARK_PYTHON: `${ROOT}/.venv/bin/python` },
    });
  });

  it("keeps a PYSPARK_PYTHON the user already chose", () => {
    const exists = existing(`${ROOT}/.venv/bin/spark-submit`, `${ROOT}/.venv/bin/python`);
    const r = findSparkSubmit({ env: { PYSPARK_PYTHON: "/usr/bin/python3" }, projectRoot: ROOT, exists });
    expect(r.ok && r.env).toEqual({});
  });

  it("falls back to PATH, skipping empty entries", () => {
    const exists = existing("/opt/b/spark-submit", "spark-submit");
    expect(findSparkSubmit({ env: { PATH: ":/opt/a::/opt/b" }, projectRoot: ROOT, exists })).toEqual({
      ok: true,
      path: "/opt/b/spark-submit",
      source: "PATH",
      env: {},
    });
  });

  it("says how to fix it when there is none", () => {
    const r = findSparkSubmit({ env: { PATH: "/usr/bin" }, projectRoot: ROOT, exists: () => false });
    expect(r).toMatchInlineSnapshot(`
      {
        "message": "spark-submit was not found (no SPARK_HOME, no /work/proj/.venv/bin/spark-submit, none on PATH): run \`npm run setup\` (installs Spark into .venv) or set SPARK_HOME to a Spark 4 installation",
        "ok": false,
      }
    `);
  });
});

describe("classifyMaster", () => {
  it.each([
    ["local", "local"],
    ["local[8]", "local"],
    ["local[*]", "local"],
    ["local[8,3]", "local"],
    ["local-cluster[2,1,1024]", "local"],
    ["spark://m:7077", "standalone"],
    ["spark://m1:7077,m2:7077", "standalone"],
    ["yarn", "yarn"],
    ["k8s://https://api.k8s:6443", "kubernetes"],
    ["k8s://http://127.0.0.1:8001", "kubernetes"],
    ["k8s://api.k8s", "kubernetes"],
    ["k8s://https://rancher.example.com/k8s/clusters/c-abc12", "kubernetes"],
  ])("%s -> %s", (master, manager) => {
    expect(classifyMaster(master)).toEqual({ ok: true, manager });
  });

  it.each(["mesos://m:5050", "yarn-client", "Local[*]", "local[]", "spark://", "spark://m:7077,", "k8s://https://", "kubernetes", ""])(
    "rejects %j",
    (master) => {
      expect(classifyMaster(master).ok).toBe(false);
    },
  );
});
