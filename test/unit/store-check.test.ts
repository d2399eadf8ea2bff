// mlship store check's walk (checkStore) on a local store: clean when nothing is wrong, and each kind of
// problem reported under its own key.
import { describe, expect, it } from "vitest";
import { join } from "node:path";
import { LocalStore } from "../../src/store/index.js";
import { checkStore } from "../../src/audit/index.js";
import { aliasKey, changeTags, deleteVersion, moveAlias, tagsKey, versionKey } from "../../src/registry/index.js";
import { buildRun, seedVersion } from "../helpers/s3-artifacts.js";
import { tempDir } from "../helpers/tmp.js";

const root = tempDir("mlship-store-check-");
let n = 0;

async function seeded() {
  const store = new LocalStore(join(root, `store-${n++}`));
  const v1 = await seedVersion(store, "churn", buildRun("churn", 1024, "r1"));
  const v2 = await seedVersion(store, "churn", buildRun("churn", 1024, "r2"));
  expect((await moveAlias(store, "churn", "production", 2)).ok).toBe(true);
  expect((await changeTags(store, "churn", 1, { set: { owner: "ana" }, remove: [] })).ok).toBe(true);
  return { store, v1, v2 };
}

describe("checkStore", () => {
  it("finds nothing wrong in a clean store and counts what it checked", async () => {
    const { store } = await seeded();
    expect(await checkStore(store)).toEqual({
      store: store.location,
      ok: true,
      checked: { models: 1, versions: 2, aliases: 1, tags: 1, tombstones: 0, runs: 0, artifactFiles: 12 },
      problems: [],
    });
  });

  it("reports each problem under its key", async () => {
    const { store, v1, v2 } = await seeded();
    expect((await deleteVersion(store, "churn", 2, { force: true })).ok).toBe(true); // production now points at a deleted version
    await store.put(tagsKey("churn", 9), JSON.stringify({ model: "churn", version: 9, tags: {}, updatedAt: "t" }));
    await store.put(`${v1.artifacts.prefix}/stray.bin`, "x");
    const manifest = await store.get(`${v2.artifacts.prefix}/MANIFEST.json`);
    await store.put(`${v2.artifacts.prefix}/MANIFEST.json`, Buffer.concat([manifest.ok ? Buffer.from(manifest.body) : Buffer.alloc(0), Buffer.from(" ")]));
    const copied = await store.get(versionKey("churn", 1));
    await store.put(versionKey("churn", 3), copied.ok ? copied.body : ""); // version 1's record under key 3
    const report = await checkStore(store);
    expect(report.ok).toBe(false);
    const byKey = (a: unknown[], b: unknown[]) => String(a[0]).localeCompare(String(b[0]));
    expect(report.problems.map((p) => [p.key, p.kind, p.message]).sort(byKey)).toEqual(
      [
        [aliasKey("churn", "production"), "alias", "points at version 2, which is deleted (so it resolves to nothing): move the alias"],
        [tagsKey("churn", 9), "tags", "tags of version 9, which does not exist"],
        [`${v1.artifacts.prefix}/stray.bin`, "artifact", "present but not listed in MANIFEST.json"],
        [`${v2.artifacts.prefix}/MANIFEST.json`, "manifest", expect.stringMatching(/^sha256 [0-9a-f]{64} differs from the one the version was registered with/)],
        [versionKey("churn", 3), "version", "version: the record says 1, its key says 3"],
      ].sort(byKey),
    );
  });
});
