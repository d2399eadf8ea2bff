// Every record read from the store is checked against its schema: a damaged one is a StoreRecordError that
// names its key and what is wrong (never a raw SyntaxError or TypeError), and listings contain it.
import { describe, expect, it } from "vitest";
import { join } from "node:path";
import { LocalStore, type Store } from "../../src/store/index.js";
import { StoreRecordError } from "../../src/errors.js";
import { getAlias, getTags, getTombstone, getVersionEntry, moveAlias, registerVersion, resolveModelRef, scanAliases } from "../../src/registry/index.js";
import { readRunRecord, writeRunRecord, type RunRecord } from "../../src/runs/record.js";
import { readManifest } from "../../src/certify/manifest.js";
import { tempDir } from "../helpers/tmp.js";
import { versionInput } from "../helpers/registry-input.js";

const root = tempDir("mlship-records-");
let n = 0;
const freshStore = () => new LocalStore(join(root, `store-${n++}`));

const run: RunRecord = { runId: "r1", job: "churn", status: "succeeded", submittedAt: "2026-11-27T08:00:00Z", argv: ["spark-submit"], specFile: "jobs/x.yaml", specSha256: "a".repeat(64), gitCommit: null };

// A store with churn@1 (aliased production, tagged, deleted-marker-free) and one run record: every kind of record, all good.
async function goodStore(): Promise<Store> {
  const s = freshStore();
  await registerVersion(s, versionInput("churn"));
  await registerVersion(s, versionInput("churn"));
  await moveAlias(s, "churn", "production", 1);
  await writeRunRecord(s, run);
  return s;
}

const version1 = JSON.stringify({ ...versionInput("churn"), version: 1, createdAt: "2026-11-27T08:00:00Z" });
const alias = (fields: object) => JSON.stringify({ model: "churn", alias: "production", version: 1, updatedAt: "t", previous: null, history: [], rollbackStack: [], ...fields });

// [what, key, bytes written there, how it is read, what the error must say]
const cases: [string, string, string, (s: Store) => Promise<unknown>, RegExp][] = [
  ["a truncated version record", "registry/churn/versions/1.json", version1.slice(0, 200), (s) => getVersionEntry(s, "churn", 1), /not valid JSON \(.*\); the object may be cut short/],
  ["an empty version record", "registry/churn/versions/1.json", "", (s) => getVersionEntry(s, "churn", 1), /empty \(0 bytes\)/],
  ["a version record that is null", "registry/churn/versions/1.json", "null", (s) => getVersionEntry(s, "churn", 1), /the record: expected object, got null/],
  ["a version record that is an array", "registry/churn/versions/1.json", "[1,2]", (s) => resolveModelRef(s, "churn@1"), /the record: expected object/],
  ["a version record without metrics and parity", "registry/churn/versions/1.json", JSON.stringify({ ...JSON.parse(version1), metrics: undefined, parity: null }), (s) => getVersionEntry(s, "churn", 1), /metrics: expected record.*parity: expected object, got null/],
  ["a string version number", "registry/churn/versions/1.json", JSON.stringify({ ...JSON.parse(version1), version: "1" }), (s) => getVersionEntry(s, "churn", 1), /version: expected number, got "1"/],
  ["a version record under another number", "registry/churn/versions/1.json", JSON.stringify({ ...JSON.parse(version1), version: 2 }), (s) => getVersionEntry(s, "churn", 1), /version: the record says 2, its key says 1/],
  ["artifacts that climb out of the store", "registry/churn/versions/1.json", JSON.stringify({ ...JSON.parse(version1), artifacts: { ...JSON.parse(version1).artifacts, prefix: "../../etc" } }), (s) => getVersionEntry(s, "churn", 1), /artifacts.prefix: expected a relative path/],
  ["an alias whose version is the string \"2\"", "registry/churn/aliases/production.json", alias({ version: "2" }), (s) => getAlias(s, "churn", "production"), /version: expected number, got "2"/],
  ["an alias with a fractional version", "registry/churn/aliases/production.json", alias({ version: 1.5 }), (s) => resolveModelRef(s, "churn@production"), /version: expected int, got 1.5/],
  ["an alias history with a bad action", "registry/churn/aliases/production.json", alias({ history: [{ version: 1, from: null, at: "t", action: "teleport" }] }), (s) => getAlias(s, "churn", "production"), /history.0.action: expected one of/],
  ["an alias rollback stack of strings", "registry/churn/aliases/production.json", alias({ rollbackStack: ["1"] }), (s) => getAlias(s, "churn", "production"), /rollbackStack.0: expected number, got "1"/],
  ["a truncated alias record", "registry/churn/aliases/production.json", alias({}).slice(0, 30), (s) => getAlias(s, "churn", "production"), /not valid JSON/],
  ["tags that are not strings", "registry/churn/tags/1.json", JSON.stringify({ model: "churn", version: 1, tags: { owner: 7 }, updatedAt: "t" }), (s) => getTags(s, "churn", 1), /tags.owner: expected string, got 7/],
  ["a tombstone without a time", "registry/churn/deleted/1.json", JSON.stringify({ model: "churn", version: 1 }), (s) => getTombstone(s, "churn", 1), /deletedAt: expected string, got nothing/],
  ["a run record with an unknown status", "runs/churn/r1/run.json", JSON.stringify({ ...run, status: "exploded" }), (s) => readRunRecord(s, "churn", "r1"), /status: expected one of/],
  ["a run record without argv", "runs/churn/r1/run.json", JSON.stringify({ ...run, argv: undefined }), (s) => readRunRecord(s, "churn", "r1"), /argv: expected array, got nothing/],
  ["a run record of another job", "runs/churn/r1/run.json", JSON.stringify({ ...run, job: "iris" }), (s) => readRunRecord(s, "churn", "r1"), /job: the record says "iris", its key says "churn"/],
  ["a truncated run record", "runs/churn/r1/run.json", JSON.stringify(run).slice(0, 50), (s) => readRunRecord(s, "churn", "r1"), /not valid JSON/],
];

describe("store records are checked when read", () => {
  it.each(cases)("%s: a StoreRecordError naming the key", async (_what, key, bytes, read, says) => {
    const s = await goodStore();
    await read(s); // reads fine before the damage
    await s.put(key, bytes);
    const err = await read(s).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(StoreRecordError);
    expect(err).toMatchObject({ code: "E_STORE_RECORD", exitCode: 1, key });
    expect((err as Error).message).toContain(`damaged store record ${key} in ${s.location}: `);
    expect((err as Error).message).toMatch(says);
  });

  it("lists the good aliases and the damaged ones apart", async () => {
    const s = await goodStore();
    await moveAlias(s, "churn", "staging", 2);
    await s.put("registry/churn/aliases/production.json", alias({ version: "2" }));
    const scanned = await scanAliases(s, "churn");
    expect(scanned.aliases.map((a) => [a.alias, a.version])).toEqual([["staging", 2]]);
    expect(scanned.damaged.map((e) => e.key)).toEqual(["registry/churn/aliases/production.json"]);
  });

  it.each([
    ["a truncated manifest", '{"formatVersion": 1, "files": [{"pa', /MANIFEST.json not valid JSON/],
    ["a manifest without files", '{"formatVersion": 1, "files": []}', /MANIFEST.json files: lists no files/],
    ["a manifest with a climbing path", JSON.stringify({ formatVersion: 1, files: [{ path: "../x", sha256: "a".repeat(64), size: 1 }] }), /MANIFEST.json files.0.path: expected a relative path/],
    ["a manifest with a short sha256", JSON.stringify({ formatVersion: 1, files: [{ path: "x", sha256: "abc", size: 1 }] }), /MANIFEST.json files.0.sha256: expected 64 lowercase hex digits, got "abc"/],
  ])("refuses %s with what is wrong", async (_what, body, says) => {
    const s = freshStore();
    await s.put("run/model/MANIFEST.json", body);
    const read = await readManifest(s, "run/model");
    expect(read.ok).toBe(false);
    expect(read.ok || read.problems.join("\n")).toMatch(says);
  });

  it("refuses to write a record it would not read back", async () => {
    const s = freshStore();
    await expect(registerVersion(s, { ...versionInput("churn"), metrics: { auc: "high" as unknown as number } })).rejects.toThrow(/refusing to write version record registry\/churn\/versions\/1.json: metrics.auc/);
    expect(await s.list("registry")).toEqual([]);
  });
});
