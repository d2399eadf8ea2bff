// One conformance suite for every store backend: the local directory and S3 (moto, or MLSHIP_TEST_S3_ENDPOINT).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openStore, S3Store, type Store } from "../../src/store/index.js";
import { startS3Server, type S3TestServer } from "../helpers/s3-server.js";
import { s3Location, storeBackends } from "../helpers/store-backends.js";
import { tempDir } from "../helpers/tmp.js";

let server: S3TestServer;
beforeAll(async () => {
  server = await startS3Server();
});
afterAll(async () => {
  await server?.stop();
});

const text = (got: Awaited<ReturnType<Store["get"]>>) => (got.ok ? Buffer.from(got.body).toString("utf8") : null);

describe.each(storeBackends(tempDir(), () => server))("%s store", (_name, fresh) => {
  it("creates a key only once and reports the etag a reader sees", async () => {
    const s = fresh();
    const made = await s.create("a/b.json", "1");
    expect(made).toMatchObject({ ok: true });
    expect(await s.create("a/b.json", "2")).toEqual({ ok: false, reason: "exists" });
    const got = await s.get("a/b.json");
    expect(text(got)).toBe("1");
    expect(got.ok && made.ok && got.etag).toBe(made.ok && made.etag);
  });

  it("lets exactly one of 10 racing creates of a key win", async () => {
    const s = fresh();
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => s.create("race.json", `writer-${i}`)));
    const winners = results.flatMap((r, i) => (r.ok ? [i] : []));
    expect(winners, JSON.stringify(results)).toHaveLength(1);
    expect(text(await s.get("race.json"))).toBe(`writer-${winners[0]}`);
  });

  it("swaps only when the etag matches, and reports the current one on conflict", async () => {
    const s = fresh();
    const first = await s.swap("k", "v1", null);
    if (!first.ok) throw new Error("first swap failed");
    expect(first.etag).not.toMatch(/"/);
    expect(await s.swap("k", "v2", null)).toEqual({ ok: false, reason: "conflict", current: first.etag });
    expect(await s.swap("k", "v2", "0123456789abcdef0123456789abcdef")).toEqual({ ok: false, reason: "conflict", current: first.etag });
    const second = await s.swap("k", "v2", first.etag);
    if (!second.ok) throw new Error("second swap failed");
    expect(second.etag).not.toBe(first.etag);
    const got = await s.get("k");
    expect(text(got)).toBe("v2");
    expect(got.ok && got.etag).toBe(second.etag);
  });

  it("treats a swap of a key that vanished as a conflict with no current etag", async () => {
    const s = fresh();
    const first = await s.swap("gone", "v1", null);
    await s.remove("gone");
    expect(await s.swap("gone", "v2", first.ok ? first.etag : "x")).toEqual({ ok: false, reason: "conflict", current: null });
  });

  it("lets exactly one of 10 racing swaps from the same etag win", async () => {
    const s = fresh();
    const base = await s.put("alias.json", "v0");
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => s.swap("alias.json", `v${i + 1}`, base)));
    expect(results.filter((r) => r.ok), JSON.stringify(results)).toHaveLength(1);
    const winner = results.findIndex((r) => r.ok);
    expect(text(await s.get("alias.json"))).toBe(`v${winner + 1}`);
  });

  it("lists keys under a prefix recursively, sorted, and nothing from sibling prefixes", async () => {
    const s = fresh();
    for (const key of ["x/2", "x/10", "x/a/b", "x/1", "xy/1", "top"]) await s.put(key, key);
    expect(await s.list("x")).toEqual(["x/1", "x/10", "x/2", "x/a/b"]);
    expect(await s.list("x/")).toEqual(["x/1", "x/10", "x/2", "x/a/b"]);
    expect(await s.list("x/a")).toEqual(["x/a/b"]);
    expect(await s.list("")).toEqual(["top", "x/1", "x/10", "x/2", "x/a/b", "xy/1"]);
    expect(await s.list("nothing")).toEqual([]);
    expect(await s.listWithSizes("x")).toEqual(["x/1", "x/10", "x/2", "x/a/b"].map((key) => ({ key, size: key.length })));
    expect(await s.listWithSizes("nothing")).toEqual([]);
  });

  it("reports missing keys as results and removes absent keys quietly", async () => {
    const s = fresh();
    expect(await s.get("no/such.json")).toEqual({ ok: false, reason: "missing" });
    await expect(s.remove("no/such.json")).resolves.toBeUndefined();
    await s.put("here", "1");
    await s.remove("here");
    expect(await s.get("here")).toEqual({ ok: false, reason: "missing" });
  });

  it("overwrites with put, and keeps bytes exactly", async () => {
    const s = fresh();
    const e1 = await s.put("blob", "first");
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    const e2 = await s.put("blob", all);
    expect(e2).not.toBe(e1);
    const got = await s.get("blob");
    expect(got.ok && Buffer.from(got.body).equals(Buffer.from(all))).toBe(true);
    expect(got.ok && got.etag).toBe(e2);
  });

  it("heads an object's size and reads byte ranges, short at the end and empty past it", async () => {
    const s = fresh();
    const all = Uint8Array.from({ length: 1000 }, (_, i) => (i * 7) % 256);
    await s.put("ranged", all);
    expect(await s.head("ranged")).toEqual({ ok: true, size: 1000 });
    expect(await s.head("none")).toEqual({ ok: false, reason: "missing" });
    const range = async (a: number, b: number) => {
      const got = await s.getRange("ranged", a, b);
      return got.ok ? Buffer.from(got.body) : got;
    };
    expect(await range(0, 0)).toEqual(Buffer.from(all.subarray(0, 1)));
    expect(await range(100, 399)).toEqual(Buffer.from(all.subarray(100, 400)));
    expect(await range(900, 1999)).toEqual(Buffer.from(all.subarray(900)));
    expect(await range(1000, 1999)).toEqual(Buffer.alloc(0));
    expect(await s.getRange("none", 0, 9)).toEqual({ ok: false, reason: "missing" });
  });

  it.each(["../etc/passwd", "a//b", "a/../b", ""])("refuses the key %j", async (key) => {
    await expect(fresh().get(key)).rejects.toThrow(/invalid store key/);
  });
});

describe("S3Store specifics", () => {
  it("normalises s3a:// locations and gives s3a:// URIs for Spark", () => {
    const s = openStore("s3a://bkt/team/models/", "/", {});
    expect(s).toBeInstanceOf(S3Store);
    expect(s.location).toBe("s3://bkt/team/models");
    expect(s.sparkUri("runs/a/model")).toBe("s3a://bkt/team/models/runs/a/model");
    expect(s.localPath("runs/a")).toBeUndefined();
    expect(openStore("s3://bkt", "/", {}).sparkUri("k")).toBe("s3a://bkt/k");
  });

  it("keeps a store's keys to its own prefix", async () => {
    const location = s3Location(server);
    const outer = openStore(location, "/", server.env);
    const inner = openStore(`${location}/inner`, "/", server.env);
    await inner.put("k", "1");
    await outer.put("k", "2");
    expect(await inner.list("")).toEqual(["k"]);
    expect(await outer.list("")).toEqual(["inner/k", "k"]);
  });
});
