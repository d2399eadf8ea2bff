// The JSON records format on a small hand-made model: the JSON text, refused categories, capped problem lists.
import { describe, expect, it } from "vitest";
import { predictRecords } from "../../src/serve/protocol/records.js";
import { thrown } from "../helpers/thrown.js";
import { STRICT, served } from "../helpers/served-toy.js";

describe("JSON records route", () => {
  it("writes the same JSON that JSON.stringify would, with the class's label", () => {
    const v = served();
    const out = predictRecords(v, { records: [{ x: 1, color: "red" }, { x: null, color: "green" }] });
    expect(out.rows).toBe(2);
    const expected = [v.scorer.scoreRecord({ x: 1, color: "red" }), v.scorer.scoreRecord({ x: null, color: "green" })].map((r) => ({
      label: ["stay", "leave"][r.prediction],
      prediction: r.prediction,
      probability: r.probability,
      rawPrediction: r.rawPrediction,
    }));
    expect(out.text).toBe(JSON.stringify({ model: "toy", version: 3, predictions: expected }));
  });

  it("refuses a category that handleInvalid=error refuses, naming the field", () => {
    const e = thrown(() => predictRecords(served("error"), { records: [{ x: 1, color: "green" }] }));
    expect(e).toMatchObject({ status: 400, code: "E_BAD_INPUT" });
    expect(e.fields).toEqual([{ field: "records[0].color", reason: 'the unseen value "green" cannot be indexed (handleInvalid=error)' }]);
  });

  it("caps the listed problems at 100 and counts the rest", () => {
    const e = thrown(() => predictRecords(served(), { records: Array.from({ length: 150 }, () => ({ x: "1" })) }, STRICT));
    expect(e.fields).toHaveLength(100);
    expect(e.message).toBe("300 problems in records (the first 100 are listed)");
  });
});
