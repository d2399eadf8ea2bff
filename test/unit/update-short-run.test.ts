// A short update (a new-rows mode on a few small new files) runs on a local master with the JIT's fast tier and no
// whole-stage code generation; train, long updates, other masters and a spec's own values are left alone.
import { describe, expect, it } from "vitest";
import { buildPlan } from "../../src/submit/index.js";
import { SHORT_RUN_CONF } from "../../src/submit/run-conf.js";
import { isShortTrain, isShortUpdate, SHORT_TRAIN_BYTES, SHORT_UPDATE_BYTES } from "../../src/update/index.js";
import { makeSpec, OUT, ROOT, RUN_DIR, RUN_ID, SPARK_SUBMIT } from "../helpers/submit-fixtures.js";

const MB = 1024 * 1024;

describe("isShortUpdate", () => {
  it.each([
    ["exact", [{ size: 5 * MB }], false, true],
    ["laplace", [{ size: 40 * MB }, { size: 24 * MB }], false, true],
    ["continue", [{ size: 1 }], false, true],
    ["streaming", [{ size: SHORT_UPDATE_BYTES }], false, true],
    ["exact", [{ size: SHORT_UPDATE_BYTES + 1 }], false, false],
    ["retrain", [{ size: 1 }], false, false],
    ["warm", [{ size: 1 }], false, false],
    ["exact", [], true, false],
    ["exact", [{ size: 1 }], true, false],
  ])("%s on %j (predicate %s): %s", (mode, files, predicate, short) => {
    expect(isShortUpdate(mode, files, predicate)).toBe(short);
  });
});

describe("isShortTrain", () => {
  it.each([
    [{ ok: true as const, files: [{ size: 300 * 1024 }] }, true],
    [{ ok: true as const, files: [{ size: 5 * MB }, { size: 3 * MB }] }, true],
    [{ ok: true as const, files: [{ size: SHORT_TRAIN_BYTES }, { size: 1 }] }, false],
    [{ ok: true as const, files: [{ size: 40 * MB }] }, false],
    [{ ok: true as const, files: [] }, false],
    [{ ok: false as const }, false],
  ])("%j: %s", (listing, short) => {
    expect(isShortTrain(listing)).toBe(short);
  });
});

const confOf = (over: Record<string, unknown>, shortRun: boolean, sparkDefaults?: Record<string, string>) => {
  const r = buildPlan({
    spec: makeSpec(over), runId: RUN_ID, outUri: OUT, projectRoot: ROOT, sparkSubmit: SPARK_SUBMIT, env: {}, runDir: RUN_DIR,
    secrets: [], ...(shortRun ? { shortRun } : {}), ...(sparkDefaults ? { sparkDefaults } : {}),
  });
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.plan.argv.filter((a) => Object.keys(SHORT_RUN_CONF).some((k) => a.startsWith(`${k}=`)));
};

describe("the short-run conf", () => {
  const local = { spark: { master: "local[2]" } };
  it("a short run on a local master gets both settings", () => {
    expect(confOf(local, true)).toEqual(["spark.driver.extraJavaOptions=-XX:TieredStopAtLevel=1", "spark.sql.codegen.wholeStage=false"]);
  });
  it("not without shortRun (train), nor on a cluster master", () => {
    expect(confOf(local, false)).toEqual([]);
    expect(confOf({ spark: { master: "spark://m:7077" } }, true)).toEqual([]);
  });
  it("the spec's or spark-defaults' own value wins", () => {
    const own = { spark: { master: "local[2]", conf: { "spark.driver.extraJavaOptions": "-Xss4m" } } };
    expect(confOf(own, true)).toEqual(["spark.driver.extraJavaOptions=-Xss4m", "spark.sql.codegen.wholeStage=false"]);
    expect(confOf(local, true, { "spark.sql.codegen.wholeStage": "true" })).toEqual(["spark.driver.extraJavaOptions=-XX:TieredStopAtLevel=1"]);
  });
  it("the spec's spark.driver.javaOptions (--driver-java-options) keeps the Java options its own", () => {
    expect(confOf({ spark: { master: "local[2]", driver: { javaOptions: "-Xss4m" } } }, true)).toEqual(["spark.sql.codegen.wholeStage=false"]);
  });
});
