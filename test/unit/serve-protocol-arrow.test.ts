// Arrow IPC batches on a small hand-made model: text labels, the same scores as the JSON route, refused rows.
import { describe, expect, it } from "vitest";
import { Float64, Table, Utf8, tableFromIPC, tableToIPC, vectorFromArray } from "apache-arrow";
import { predictArrow } from "../../src/serve/protocol/arrow.js";
import { predictRecords } from "../../src/serve/protocol/records.js";
import { thrown } from "../helpers/thrown.js";
import { served } from "../helpers/served-toy.js";

describe("Arrow batches", () => {
  const batch = (x: (number | null)[], color: (string | null)[]) => tableToIPC(new Table({ x: vectorFromArray(x, new Float64()), color: vectorFromArray(color, new Utf8()) }), "stream");

  it("answers text labels as a utf8 column and scores as the JSON route does", () => {
    const v = served();
    const out = tableFromIPC(predictArrow(v, batch([1, null, 4], ["red", "blue", null])).bytes);
    const viaJson = JSON.parse(predictRecords(v, { records: [{ x: 1, color: "red" }, { x: null, color: "blue" }, { x: 4, color: null }] }).text).predictions;
    expect(Array.from({ length: 3 }, (_, r) => out.getChild("label")!.get(r))).toEqual(viaJson.map((p: { label: string }) => p.label));
    expect(Array.from({ length: 3 }, (_, r) => [...out.getChild("probability")!.get(r)!.toArray()])).toEqual(viaJson.map((p: { probability: number[] }) => p.probability));
    expect(String(out.schema.fields.find((f) => f.name === "label")!.type)).toBe("Utf8");
  });

  it("names every row the scorer refuses (handleInvalid=error)", () => {
    const e = thrown(() => predictArrow(served("error"), batch([1, 2, 3], ["green", "red", "mauve"])));
    expect(e.status).toBe(400);
    expect(e.fields).toEqual([
      { field: "color", reason: 'row 0: the unseen value "green" cannot be indexed (handleInvalid=error)' },
      { field: "color", reason: 'row 2: the unseen value "mauve" cannot be indexed (handleInvalid=error)' },
    ]);
  });
});
