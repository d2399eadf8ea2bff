// The appended-levels line of `mlship models show`, from untrusted update facts.
import { describe, expect, it } from "vitest";
import { appendedLevelsLine } from "../../src/update/index.js";
import { updateLines } from "../../src/cli/commands/models-show.js";

describe("appendedLevelsLine", () => {
  it("names each column's appended levels, the first three and a count of the rest", () => {
    const facts = { appendedLevels: [{ column: "cat", levels: ["d", "e"], firstIndex: 3 }, { column: "city", levels: ["a", "b", "c", "d", "e"], firstIndex: 9 }] };
    expect(appendedLevelsLine(facts)).toBe("cat +2 (d, e), city +5 (a, b, c, … 2 more)");
  });

  it.each([
    ["no facts", undefined],
    ["no appended levels", { newRows: 3 }],
    ["not a list", { appendedLevels: "cat" }],
    ["malformed entries", { appendedLevels: [null, 3, { column: 1, levels: ["x"] }, { column: "c", levels: [] }] }],
  ])("is null for %s", (_, facts) => {
    expect(appendedLevelsLine(facts as Record<string, unknown> | undefined)).toBeNull();
  });

  it("is a line of models show", () => {
    const lines = updateLines({ mode: "exact", parentVersion: 1, rows: { history: 10, new: 5 }, parentMetrics: {}, facts: { appendedLevels: [{ column: "cat", levels: ["d"] }] } });
    expect(lines.at(-1)).toBe("levels      cat +1 (d) (appended)");
  });
});
