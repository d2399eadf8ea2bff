// Alias history and rollback, tags and soft delete on a LocalStore in a temp dir; the pure history rules.
import { describe, expect, it } from "vitest";
import { join } from "node:path";
import { LocalStore } from "../../src/store/index.js";
import {
  ALIAS_HISTORY_LIMIT,
  aliasKey,
  changeTags,
  deleteVersion,
  getAlias,
  getTags,
  getVersion,
  getVersionEntry,
  listModels,
  moveAlias,
  movedAlias,
  planRollback,
  registerVersion,
  resolveModelRef,
  rollbackAlias,
  versionIndex,
  versionNumbers,
  type AliasRecord,
} from "../../src/registry/index.js";
import { promote } from "../../src/runs/promote.js";
import { tempDir } from "../helpers/tmp.js";
import { versionInput } from "../helpers/registry-input.js";

const root = tempDir();
let n = 0;
const freshStore = () => new LocalStore(join(root, `store-${n++}`));

// A store with `count` versions of model "m"; the i-th has areaUnderROC = aucs[i] when given.
async function withVersions(count: number, aucs: number[] = []) {
  const s = freshStore();
  for (let i = 0; i < count; i++) await registerVersion(s, { ...versionInput("m", `run-${i}`), metrics: { areaUnderROC: aucs[i] ?? 0.8 } });
  return s;
}

describe("alias history and rollback", () => {
  it("walks back one move per rollback, keeps every move in the history, and stops at the start", async () => {
    const s = await withVersions(3);
    for (const v of [1, 2, 3]) expect(await moveAlias(s, "m", "production", v, { by: "ana", action: "promote" })).toMatchObject({ ok: true, changed: true });
    expect(await rollbackAlias(s, "m", "production", { by: "bo" })).toMatchObject({ ok: true, from: 3, to: 2 });
    expect(await rollbackAlias(s, "m", "production")).toMatchObject({ ok: true, from: 2, to: 1 });
    expect(await rollbackAlias(s, "m", "production")).toEqual({ ok: false, reason: "nothing-to-roll-back", current: 1 });
    const alias = (await getAlias(s, "m", "production"))!.record;
    expect(alias.version).toBe(1);
    expect(alias.history.map((e) => [e.action, e.from, e.version])).toEqual([
      ["promote", null, 1],
      ["promote", 1, 2],
      ["promote", 2, 3],
      ["rollback", 3, 2],
      ["rollback", 2, 1],
    ]);
    expect(alias.history[3]!.by).toBe("bo");
    expect((await resolveModelRef(s, "m@production"))?.version).toBe(1);
  });

  it("after a rollback, a new move is rolled back to the version the rollback chose", async () => {
    const s = await withVersions(4);
    for (const v of [1, 2, 3]) await moveAlias(s, "m", "p", v);
    await rollbackAlias(s, "m", "p"); // 3 -> 2
    await moveAlias(s, "m", "p", 4); // 2 -> 4
    expect(await rollbackAlias(s, "m", "p")).toMatchObject({ ok: true, to: 2 });
    expect(await rollbackAlias(s, "m", "p")).toMatchObject({ ok: true, to: 1 });
  });

  it("skips versions deleted since, and says which", async () => {
    const s = await withVersions(3);
    for (const v of [1, 2, 3]) await moveAlias(s, "m", "p", v);
    expect(await deleteVersion(s, "m", 2)).toMatchObject({ ok: true });
    expect(await rollbackAlias(s, "m", "p")).toMatchObject({ ok: true, from: 3, to: 1, skipped: [2] });
  });

  it("refuses a rollback whose --expect is stale, and changes nothing", async () => {
    const s = await withVersions(3);
    for (const v of [1, 2, 3]) await moveAlias(s, "m", "p", v);
    const before = await s.get(aliasKey("m", "p"));
    expect(await rollbackAlias(s, "m", "p", { expectVersion: 2 })).toEqual({ ok: false, reason: "conflict", current: 3 });
    const after = await s.get(aliasKey("m", "p"));
    expect(after.ok && before.ok && after.etag === before.etag).toBe(true);
  });

  it("lets one of two racing rollbacks win: the alias goes back exactly one step", async () => {
    const s = await withVersions(3);
    for (const v of [1, 2, 3]) await moveAlias(s, "m", "p", v);
    const results = await Promise.all([rollbackAlias(s, "m", "p"), rollbackAlias(s, "m", "p")]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.find((r) => !r.ok)).toMatchObject({ reason: "conflict" });
    expect((await getAlias(s, "m", "p"))?.record.version).toBe(2);
  });

  it("reports no-alias for an alias that does not exist", async () => {
    expect(await rollbackAlias(await withVersions(1), "m", "nope")).toEqual({ ok: false, reason: "no-alias" });
  });

  it("treats a move to the current version as a no-op that adds no history", async () => {
    const s = await withVersions(2);
    await moveAlias(s, "m", "p", 1);
    expect(await moveAlias(s, "m", "p", 1)).toMatchObject({ ok: true, changed: false });
    expect((await getAlias(s, "m", "p"))!.record.history).toHaveLength(1);
  });

  it("--expect none moves only an alias that does not exist yet", async () => {
    const s = await withVersions(2);
    expect(await moveAlias(s, "m", "p", 1, { expectVersion: null })).toMatchObject({ ok: true });
    expect(await moveAlias(s, "m", "p", 2, { expectVersion: null })).toEqual({ ok: false, reason: "conflict", current: 1 });
  });

  it("reads an alias record written before history existed, and rolls it back one step", async () => {
    const s = await withVersions(2);
    const legacy = { model: "m", alias: "p", version: 2, updatedAt: "2026-01-01T00:00:00.000Z", previous: 1 };
    await s.put(aliasKey("m", "p"), JSON.stringify(legacy));
    expect((await getAlias(s, "m", "p"))!.record).toMatchObject({ history: [], rollbackStack: [1] });
    expect(await rollbackAlias(s, "m", "p")).toMatchObject({ ok: true, to: 1 });
  });
});

describe("the pure history rules", () => {
  const start: AliasRecord = { model: "m", alias: "p", version: 1, updatedAt: "t0", previous: null, history: [], rollbackStack: [] };

  it("keeps at most ALIAS_HISTORY_LIMIT moves and rollback steps", () => {
    let r = start;
    for (let v = 2; v <= ALIAS_HISTORY_LIMIT + 30; v++) r = movedAlias(r, { model: "m", alias: "p", version: v, at: `t${v}`, action: "set" });
    expect(r.history).toHaveLength(ALIAS_HISTORY_LIMIT);
    expect(r.rollbackStack).toHaveLength(ALIAS_HISTORY_LIMIT);
    expect(r.history.at(-1)).toMatchObject({ version: ALIAS_HISTORY_LIMIT + 30, from: ALIAS_HISTORY_LIMIT + 29 });
    expect(r.rollbackStack.at(-1)).toBe(ALIAS_HISTORY_LIMIT + 29);
  });

  it("plans a rollback past versions that are not live or are the current one", () => {
    const r = { ...start, version: 5, rollbackStack: [1, 2, 5, 3] };
    expect(planRollback(r, (v) => v !== 3)).toEqual({ to: 2, skipped: [3, 5], stack: [1] });
    expect(planRollback(r, () => false)).toBeNull();
  });
});

describe("tags", () => {
  it("sets, overwrites and removes tags without touching the version record", async () => {
    const s = await withVersions(1);
    const before = await s.get("registry/m/versions/1.json");
    expect(await changeTags(s, "m", 1, { set: { stage: "canary", owner: "ana" }, remove: [] })).toMatchObject({ ok: true, record: { tags: { owner: "ana", stage: "canary" } } });
    await changeTags(s, "m", 1, { set: { stage: "ga" }, remove: ["owner"] });
    expect(await getTags(s, "m", 1)).toEqual({ stage: "ga" });
    const after = await s.get("registry/m/versions/1.json");
    expect(before.ok && after.ok && after.etag === before.etag).toBe(true);
  });

  it("keeps every key of 10 concurrent tag changes (compare-and-swap, retried)", async () => {
    const s = await withVersions(1);
    await Promise.all(Array.from({ length: 10 }, (_, i) => changeTags(s, "m", 1, { set: { [`k${i}`]: String(i) }, remove: [] })));
    expect(Object.keys(await getTags(s, "m", 1)).sort()).toEqual(Array.from({ length: 10 }, (_, i) => `k${i}`).sort());
  });

  it("refuses tags on a missing or deleted version", async () => {
    const s = await withVersions(2);
    expect(await changeTags(s, "m", 9, { set: { a: "b" }, remove: [] })).toEqual({ ok: false, reason: "no-such-version" });
    await deleteVersion(s, "m", 2);
    expect(await changeTags(s, "m", 2, { set: { a: "b" }, remove: [] })).toEqual({ ok: false, reason: "deleted" });
  });
});

describe("soft delete", () => {
  it("hides a version from numbers, latest and resolution, but keeps the record and the number", async () => {
    const s = await withVersions(3);
    expect(await deleteVersion(s, "m", 3, { by: "ana", reason: "bad data" })).toMatchObject({ ok: true, tombstone: { version: 3, by: "ana", reason: "bad data" } });
    expect(await versionNumbers(s, "m")).toEqual([1, 2]);
    expect((await resolveModelRef(s, "m"))?.version).toBe(2);
    expect(await resolveModelRef(s, "m@3")).toBeNull();
    expect(await getVersion(s, "m", 3)).toBeNull();
    expect(await getVersionEntry(s, "m", 3)).toMatchObject({ record: { version: 3 }, deleted: { reason: "bad data" } });
    expect((await versionIndex(s, "m")).all).toEqual([1, 2, 3]);
    expect((await registerVersion(s, versionInput("m"))).version).toBe(4); // 3 is never given again
    expect(await listModels(s)).toEqual(["m"]);
  });

  it("refuses to delete a version an alias points at, unless forced; a deleted version cannot be aliased", async () => {
    const s = await withVersions(2);
    await moveAlias(s, "m", "production", 2);
    expect(await deleteVersion(s, "m", 2)).toEqual({ ok: false, reason: "aliased", aliases: ["production"] });
    expect(await getVersion(s, "m", 2)).not.toBeNull();
    expect(await deleteVersion(s, "m", 2, { force: true })).toMatchObject({ ok: true, tombstone: { aliasesAtDeletion: ["production"] } });
    expect(await resolveModelRef(s, "m@production")).toBeNull();
    expect(await deleteVersion(s, "m", 2)).toMatchObject({ ok: false, reason: "already-deleted" });
    expect(await moveAlias(s, "m", "staging", 2)).toEqual({ ok: false, reason: "deleted" });
    expect(await deleteVersion(s, "m", 7)).toEqual({ ok: false, reason: "no-such-version" });
  });
});

describe("promote (the gate applied to a store)", () => {
  it("moves the alias when the candidate is within the margin, and records the decision in the history", async () => {
    const s = await withVersions(2, [0.9, 0.895]);
    await moveAlias(s, "m", "production", 1);
    const p = await promote(s, "m", (await getVersion(s, "m", 2))!, { alias: "production", when: { metric: "areaUnderROC", notWorseThanCurrentBy: 0.01 } });
    expect(p).toMatchObject({ promoted: true, previous: 1 });
    const alias = (await getAlias(s, "m", "production"))!.record;
    expect(alias.version).toBe(2);
    expect(alias.history.at(-1)).toMatchObject({ action: "promote", from: 1, version: 2 });
    expect(alias.history.at(-1)!.reason).toMatch(/parity certificate passed.*worse by 0\.005, within the margin 0\.01/);
  });

  it("leaves the alias where it was when the candidate is worse than the current version by more than the margin", async () => {
    const s = await withVersions(2, [0.95, 0.8]);
    await moveAlias(s, "m", "production", 1);
    const p = await promote(s, "m", (await getVersion(s, "m", 2))!, { alias: "production", when: { metric: "areaUnderROC", min: 0.7, notWorseThanCurrentBy: 0.01 } });
    expect(p).toMatchObject({ promoted: false, previous: 1 });
    expect(p.reason).toMatch(/areaUnderROC 0\.8 vs 0\.95 of current version 1 .*worse by 0\.15, more than the margin 0\.01/);
    expect((await getAlias(s, "m", "production"))!.record.version).toBe(1);
  });
});
