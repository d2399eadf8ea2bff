// The compile tables: one function for every stage kind a descriptor may name (tsc checks the pairing itself).
import { describe, expect, it } from "vitest";
import { FEATURE_STAGE_KINDS, MODEL_STAGE_KINDS, type Stage } from "../../src/model/descriptor.js";
import { FEATURE_COMPILERS, isFeatureStage, MODEL_COMPILERS } from "../../src/model/compile-table.js";

describe("compile tables", () => {
  it("have one compile function per listed kind, and no other", () => {
    expect(Object.keys(FEATURE_COMPILERS).sort()).toEqual([...FEATURE_STAGE_KINDS].sort());
    expect(Object.keys(MODEL_COMPILERS).sort()).toEqual([...MODEL_STAGE_KINDS].sort());
    for (const fn of [...Object.values(FEATURE_COMPILERS), ...Object.values(MODEL_COMPILERS)]) expect(fn).toBeTypeOf("function");
  });

  it.each([...FEATURE_STAGE_KINDS, ...MODEL_STAGE_KINDS])("tells a feature stage from the model stage: %s", (kind) => {
    expect(isFeatureStage({ kind } as Stage)).toBe((FEATURE_STAGE_KINDS as readonly string[]).includes(kind));
  });
});
