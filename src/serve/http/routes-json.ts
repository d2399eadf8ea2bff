// The JSON routes for people: list the served models, predict from named records.
import type { FastifyInstance } from "fastify";
import { answer, begin, beginModel, noteInputs, policyOf, type AppDeps, type ModelParams } from "./route-context.js";
import { ARROW_STREAM, predictArrow } from "../protocol/arrow.js";
import { predictRecords } from "../protocol/records.js";
import { inputsMetadata } from "../../model/input/metadata.js";
import type { ServedVersion } from "../runtime/served.js";

// A served version's inputs for /v1/models: name, type, the training column's Spark type, known levels.
const inputsOf = (v: ServedVersion) =>
  inputsMetadata(v.scorer).map((i) => ({ name: i.name, type: i.role === "numeric" ? "number" : "string", sparkType: i.sparkType, ...(i.levels ? { levels: i.levels } : {}) }));


export function jsonRoutes(app: FastifyInstance, deps: AppDeps): void {
  const { catalogue } = deps;

  app.get("/v1/models", (request, reply) => {
    const models = catalogue.slots.map((s) => ({
      name: s.model,
      ref: s.ref,
      alias: s.aliasLabel || null,
      version: s.current?.version ?? null,
      ready: s.current !== null,
      loadedAt: s.current?.loadedAt ?? null,
      inputs: s.current ? inputsOf(s.current) : null,
    }));
    answer(deps, reply, begin(request, "/v1/models"), 200, JSON.stringify({ models }));
  });

  for (const route of ["/v1/models/:name/predict", "/v1/models/:name/versions/:version/predict"]) {
    app.post<ModelParams>(route, (request, reply) => {
      const { a, served } = beginModel(deps, request, route);
      const policy = policyOf(deps, request);
      if (Buffer.isBuffer(request.body)) {
        // An Arrow IPC stream in (the only body parsed as bytes): an Arrow IPC stream out.
        const out = predictArrow(served, request.body, policy, deps.limits);
        a.rows = out.rows;
        noteInputs(deps, reply, a, out);
        answer(deps, reply, a, 200, Buffer.from(out.bytes.buffer, out.bytes.byteOffset, out.bytes.byteLength), ARROW_STREAM);
        return;
      }
      const out = predictRecords(served, request.body, policy);
      a.rows = out.rows;
      noteInputs(deps, reply, a, out);
      answer(deps, reply, a, 200, out.text);
    });
  }
}
