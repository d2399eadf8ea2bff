// MANIFEST.json verification: every checksum, size, missing and unlisted file.
import { describe, expect, it } from "vitest";
import { join } from "node:path";
import { LocalStore } from "../../src/store/index.js";
import { sha256Hex, verifyManifest } from "../../src/certify/index.js";
import { tempDir } from "../helpers/tmp.js";

const root = tempDir();
let n = 0;

async function runFolder(files: Record<string, string>, tweak?: (m: { files: { path: string; sha256: string; size: number }[] }) => void) {
  const store = new LocalStore(join(root, `s${n++}`));
  const manifest = { formatVersion: 1, files: [] as { path: string; sha256: string; size: number }[] };
  for (const [path, body] of Object.entries(files)) {
    await store.put(`run/model/${path}`, body);
    manifest.files.push({ path, sha256: sha256Hex(Buffer.from(body)), size: Buffer.byteLength(body) });
  }
  tweak?.(manifest);
  await store.put("run/model/MANIFEST.json", JSON.stringify(manifest));
  return store;
}

const complete = { "portable/descriptor.json": "{}", "parity.arrow": "p", "metrics.json": "{}", "spark/metadata/part-0": "m" };

describe("verifyManifest", () => {
  it("accepts a complete, unchanged run folder", async () => {
    const r = await verifyManifest(await runFolder(complete), "run/model");
    expect(r.ok).toBe(true);
  });

  it("refuses a folder without MANIFEST.json", async () => {
    const store = new LocalStore(join(root, "none"));
    await store.put("run/model/parity.arrow", "x");
    expect(await verifyManifest(store, "run/model")).toEqual({ ok: false, problems: [expect.stringMatching(/MANIFEST.json is missing/)] });
  });

  it("refuses a file changed after the run (same size, one byte flipped)", async () => {
    const store = await runFolder(complete);
    await store.put("run/model/spark/metadata/part-0", "n");
    const r = await verifyManifest(store, "run/model");
    expect(r).toEqual({
      ok: false,
      problems: [`spark/metadata/part-0: sha256 does not match MANIFEST.json (the file changed after the run wrote it): expected ${sha256Hex(Buffer.from("m"))}, got ${sha256Hex(Buffer.from("n"))}`],
    });
  });

  it("refuses truncated, missing and unlisted files, all reported", async () => {
    const store = await runFolder(complete);
    await store.put("run/model/parity.arrow", "");
    await store.remove("run/model/metrics.json");
    await store.put("run/model/extra.bin", "?");
    const r = await verifyManifest(store, "run/model");
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.problems).toEqual(
        expect.arrayContaining([
          "parity.arrow: size 0 bytes, MANIFEST.json says 1",
          "metrics.json: listed in MANIFEST.json but missing",
          "extra.bin: present but not listed in MANIFEST.json",
        ]),
      );
    }
  });

  it("refuses a manifest that leaves out a required file", async () => {
    const r = await verifyManifest(await runFolder({ "parity.arrow": "p", "metrics.json": "{}" }), "run/model");
    expect(r.ok || r.problems).toEqual(["portable/descriptor.json: required file not listed in MANIFEST.json"]);
  });
});
