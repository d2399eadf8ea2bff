// The local store's atomic create/swap and the registry built on it.
import { describe, expect, it } from "vitest";
import { join } from "node:path";
import { LocalStore } from "../../src/store/index.js";
import { getAlias, listModels, moveAlias, parseModelRef, registerVersion, resolveModelRef, versionNumbers } from "../../src/registry/index.js";
import { tempDir } from "../helpers/tmp.js";
import { versionInput } from "../helpers/registry-input.js";

const root = tempDir();
let n = 0;
const freshStore = () => new LocalStore(join(root, `store-${n++}`));

describe("LocalStore", () => {
  it("creates a key only once", async () => {
    const s = freshStore();
    expect(await s.create("a/b.json", "1")).toMatchObject({ ok: true });
    expect(await s.create("a/b.json", "2")).toEqual({ ok: false, reason: "exists" });
    const got = await s.get("a/b.json");
    expect(got.ok && Buffer.from(got.body).toString()).toBe("1");
  });

  it("swaps only when the etag matches, and reports the current one on conflict", async () => {
    const s = freshStore();
    const first = await s.swap("k", "v1", null);
    expect(first.ok).toBe(true);
    const stale = await s.swap("k", "v2", null);
    expect(stale).toMatchObject({ ok: false, reason: "conflict" });
    const fresh = await s.swap("k", "v2", first.ok ? first.etag : "");
    expect(fresh.ok).toBe(true);
  });

  it("lists keys recursively and hides its own temporary files", async () => {
    const s = freshStore();
    await s.put("x/1", "a");
    await s.put("x/y/2", "b");
    expect(await s.list("x")).toEqual(["x/1", "x/y/2"]);
    expect(await s.list("nothing")).toEqual([]);
  });

  it("refuses keys that climb out of the store", async () => {
    await expect(freshStore().get("../etc/passwd")).rejects.toThrow(/invalid store key/);
  });
});

describe("registry", () => {
  it("gives 20 concurrent registrations 20 distinct versions, none lost", async () => {
    const s = freshStore();
    const made = await Promise.all(Array.from({ length: 20 }, (_, i) => registerVersion(s, versionInput("churn", `run-${i}`))));
    expect(new Set(made.map((v) => v.version)).size).toBe(20);
    expect(await versionNumbers(s, "churn")).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    const runs = await Promise.all(made.map(async (v) => (await resolveModelRef(s, `churn@${v.version}`))!.lineage.runId));
    expect(new Set(runs).size).toBe(20);
  });

  it("moves aliases with an expected current version: one of two racing moves wins", async () => {
    const s = freshStore();
    await registerVersion(s, versionInput("m"));
    await registerVersion(s, versionInput("m"));
    await registerVersion(s, versionInput("m"));
    await moveAlias(s, "m", "production", 1);
    const [a, b] = await Promise.all([
      moveAlias(s, "m", "production", 2, { expectVersion: 1 }),
      moveAlias(s, "m", "production", 3, { expectVersion: 1 }),
    ]);
    expect([a.ok, b.ok].filter(Boolean)).toHaveLength(1);
    const alias = await getAlias(s, "m", "production");
    expect(alias?.record.version).toBe(a.ok ? 2 : 3);
    expect(alias?.record.previous).toBe(1);
  });

  it("refuses to point an alias at a version that does not exist", async () => {
    const s = freshStore();
    await registerVersion(s, versionInput("m"));
    expect(await moveAlias(s, "m", "prod", 9)).toEqual({ ok: false, reason: "no-such-version" });
  });

  it("resolves NAME, NAME@N, NAME@latest and NAME@alias", async () => {
    const s = freshStore();
    await registerVersion(s, versionInput("m"));
    await registerVersion(s, versionInput("m"));
    await moveAlias(s, "m", "production", 1);
    expect((await resolveModelRef(s, "m"))?.version).toBe(2);
    expect((await resolveModelRef(s, "m@latest"))?.version).toBe(2);
    expect((await resolveModelRef(s, "m@1"))?.version).toBe(1);
    expect((await resolveModelRef(s, "m@production"))?.version).toBe(1);
    expect(await resolveModelRef(s, "m@nope")).toBeNull();
    expect(await listModels(s)).toEqual(["m"]);
    expect(parseModelRef("a@7")).toEqual({ model: "a", selector: { version: 7 } });
  });
});
