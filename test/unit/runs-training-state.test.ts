// The update modes train records come from the verified state/state.json, and a state naming unlisted files is refused.
import { describe, expect, it } from "vitest";
import { verifiedArtifacts } from "../../src/certify/index.js";
import type { PulledFile } from "../../src/store/index.js";
import { trainingStateModes } from "../../src/runs/training-state.js";
import { tempDir } from "../helpers/tmp.js";
import { writeFileSync } from "node:fs";
import { join } from "node:path";

const root = tempDir();

// Verified artifacts holding the given files (path -> body).
function artifacts(files: Record<string, string>) {
  const pulled = new Map<string, PulledFile>();
  Object.entries(files).forEach(([path, body], i) => {
    const file = join(root, `f${i}-${path.replaceAll("/", "_")}`);
    writeFileSync(file, body);
    pulled.set(path, { file } as PulledFile);
  });
  return verifiedArtifacts("runs/j/r1/model", pulled);
}

const state = (files: string[]) =>
  JSON.stringify({ formatVersion: 1, algorithm: "linear_regression", updateModes: ["exact", "retrain"], files: files.map((path) => ({ path, holds: "x" })) });

describe("trainingStateModes", () => {
  it("reads the modes of a state whose files are all verified", async () => {
    const a = artifacts({ "state/state.json": state(["state/moments.arrow"]), "state/moments.arrow": "m" });
    expect(await trainingStateModes(a)).toEqual(["exact", "retrain"]);
  });

  it("is null for a run without state (trained before it existed, or exported without training rows)", async () => {
    expect(await trainingStateModes(artifacts({ "parity.arrow": "p" }))).toBeNull();
  });

  it.each([
    ["names a file the MANIFEST does not list", state(["state/moments.arrow"]), /names files MANIFEST.json does not list: state\/moments.arrow/],
    ["is not a training state", JSON.stringify({ formatVersion: 1 }), /state\/state.json/],
  ])("refuses a state that %s", async (_, body, message) => {
    await expect(trainingStateModes(artifacts({ "state/state.json": body }))).rejects.toThrow(message);
  });
});
