// Cross-field checks on how the job runs: entrypoint, deploy mode, promotion gate.
import type { SpecProblem } from "../errors.js";
import { keyLocAt, mapAt, problemAt, scalarAt, type MapNode } from "./tree.js";

// entrypoint: a script or a jar (with mainClass), not both; the same rules the plan applies.
export function checkEntrypoint(root: MapNode): SpecProblem[] {
  const ep = mapAt(root, ["entrypoint"]);
  if (!ep) return [];
  const script = ep.entries.get("script");
  const jar = ep.entries.get("jar");
  const mainClass = ep.entries.get("mainClass");
  if (script && jar) return [problemAt(jar.keyLoc, "entrypoint.jar", "expected either entrypoint.script or entrypoint.jar, got both")];
  if (mainClass && !jar) return [problemAt(mainClass.keyLoc, "entrypoint.mainClass", "expected entrypoint.jar alongside mainClass, got no jar")];
  if (jar && !mainClass) return [problemAt(jar.keyLoc, "entrypoint.mainClass", "expected the class to run (e.g. com.example.Train) with entrypoint.jar, got nothing")];
  if (!script && !jar) {
    const loc = keyLocAt(root, ["entrypoint"]) ?? ep.loc;
    return [problemAt(loc, "entrypoint", "expected entrypoint.script or entrypoint.jar, got neither (leave out entrypoint to use the built-in trainer)")];
  }
  return [];
}

// spark: cluster deploy mode needs a cluster (spark-submit refuses it with a local master).
export function checkSpark(root: MapNode): SpecProblem[] {
  const mode = scalarAt(root, ["spark", "deployMode"]);
  const master = scalarAt(root, ["spark", "master"])?.value ?? "local[*]";
  if (mode?.value === "cluster" && typeof master === "string" && /^local(\[|$)/.test(master)) {
    const loc = keyLocAt(root, ["spark", "deployMode"]) ?? mode.loc;
    return [problemAt(loc, "spark.deployMode", `expected "client" with master ${JSON.stringify(master)}, got "cluster"`)];
  }
  return [];
}

// promote.when: min must not exceed max.
export function checkPromote(root: MapNode): SpecProblem[] {
  const min = scalarAt(root, ["promote", "when", "min"])?.value;
  const max = scalarAt(root, ["promote", "when", "max"]);
  if (typeof min === "number" && typeof max?.value === "number" && min > max.value) {
    const loc = keyLocAt(root, ["promote", "when", "max"]) ?? max.loc;
    return [problemAt(loc, "promote.when.max", `expected a number >= promote.when.min (${min}), got ${max.value}`)];
  }
  return [];
}
