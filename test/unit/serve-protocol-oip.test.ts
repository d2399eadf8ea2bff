// Open Inference Protocol v2 infer on a small hand-made model: output tensors, refused rows, wrongly typed tensors.
import { describe, expect, it } from "vitest";
import { infer } from "../../src/serve/protocol/oip.js";
import { thrown } from "../helpers/thrown.js";
import { STRICT, served } from "../helpers/served-toy.js";

describe("OIP infer", () => {
  it("answers tensors with text labels as BYTES", () => {
    const v = served();
    const out = infer(v, {
      id: "r1",
      inputs: [
        { name: "x", shape: [2], datatype: "FP32", data: [1, 0] },
        { name: "color", shape: [2, 1], datatype: "BYTES", data: ["red", null] },
      ],
    });
    const body = JSON.parse(out.text);
    expect(body).toMatchObject({ model_name: "toy", model_version: "3", id: "r1" });
    const p0 = v.scorer.scoreRecord({ x: 1, color: "red" });
    const p1 = v.scorer.scoreRecord({ x: 0, color: null });
    expect(body.outputs).toEqual([
      { name: "prediction", shape: [2], datatype: "FP64", data: [p0.prediction, p1.prediction] },
      { name: "label", shape: [2], datatype: "BYTES", data: [p0.label, p1.label] },
      { name: "probability", shape: [2, 2], datatype: "FP64", data: [...p0.probability!, ...p1.probability!] },
      { name: "raw_prediction", shape: [2, 2], datatype: "FP64", data: [...p0.rawPrediction!, ...p1.rawPrediction!] },
    ]);
  });

  it("names the row and input of a row the scorer refuses", () => {
    const e = thrown(() =>
      infer(served("error"), {
        inputs: [
          { name: "x", shape: [2], datatype: "FP64", data: [1, 2] },
          { name: "color", shape: [2], datatype: "BYTES", data: ["red", "green"] },
        ],
      }),
    );
    expect(e.fields).toEqual([{ field: "color", reason: 'row 1: the unseen value "green" cannot be indexed (handleInvalid=error)' }]);
  });

  it("reports a wrongly typed tensor once, not also as missing (strict inputs)", () => {
    const e = thrown(() =>
      infer(
        served(),
        {
          inputs: [
            { name: "x", shape: [1], datatype: "BYTES", data: ["1"] },
            { name: "color", shape: [1], datatype: "BYTES", data: ["red"] },
          ],
        },
        STRICT,
      ),
    );
    expect(e.fields!.map((f) => f.field)).toEqual(["inputs[0].datatype"]);
  });
});
