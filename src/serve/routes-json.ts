// The JSON routes for people: list the served models, predict from named records.
import type { FastifyInstance } from "fastify";
import { answer, begin, beginModel, type AppDeps, type ModelParams } from "./http.js";
import { ARROW_STREAM, predictArrow } from "./arrow.js";
import { predictRecords } from "./records.js";


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
      inputs: s.current?.scorer.inputSchema.map((c) => ({ name: c.name, type: c.type === "double" ? "number" : "string" })) ?? null,
    }));
    answer(deps, reply, begin(request, "/v1/models"), 200, JSON.stringify({ models }));
  });

  for (const route of ["/v1/models/:name/predict", "/v1/models/:name/versions/:version/predict"]) {
    app.post<ModelParams>(route, (request, reply) => {
      const { a, served } = beginModel(deps, request, route);
      if (Buffer.isBuffer(request.body)) {
        // An Arrow IPC stream in (the only body parsed as bytes): an Arrow IPC stream out.
        const out = predictArrow(served, request.body, deps.limits);
        a.rows = out.rows;
        answer(deps, reply, a, 200, Buffer.from(out.bytes.buffer, out.bytes.byteOffset, out.bytes.byteLength), ARROW_STREAM);
        return;
      }
      const out = predictRecords(served, request.body);
      a.rows = out.rows;
      answer(deps, reply, a, 200, out.text);
    });
  }
}
