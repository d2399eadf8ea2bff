// Open Inference Protocol v2 routes: health, server and model metadata, model readiness, infer.
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { CODES, HttpError } from "../protocol/errors.js";
import { answer, begin, beginModel, noteInputs, policyOf, type AppDeps, type ModelParams } from "./route-context.js";
import { infer, modelMetadata } from "../protocol/oip.js";
import type { Slot } from "../runtime/catalogue.js";
import type { ServedVersion } from "../runtime/served.js";

// The slot and version a request about one model addresses.
type Addressed = { slot: Slot; served: ServedVersion };

export function oipRoutes(app: FastifyInstance, deps: AppDeps): void {
  const { catalogue } = deps;
  const serverJson = (request: FastifyRequest, reply: FastifyReply, route: string, status: number, value: unknown) =>
    answer(deps, reply, begin(request, route), status, JSON.stringify(value));

  app.get("/v2/health/live", (request, reply) => serverJson(request, reply, "/v2/health/live", 200, { live: true }));
  app.get("/v2/health/ready", (request, reply) => {
    const ready = catalogue.ready;
    serverJson(request, reply, "/v2/health/ready", ready ? 200 : 503, { ready });
  });
  app.get("/v2", (request, reply) =>
    serverJson(request, reply, "/v2", 200, {
      name: "mlship",
      version: deps.serverVersion,
      extensions: [],
      models: catalogue.slots.map((s) => ({ name: s.model, ref: s.ref, alias: s.aliasLabel || null, version: s.current?.version ?? null, ready: s.current !== null })),
    }),
  );

  // GET routes about one model: find the version, answer with `body(...)`.
  const modelGet = (route: string, body: (req: FastifyRequest<ModelParams>, found: Addressed) => unknown) => {
    app.get<ModelParams>(route, (request, reply) => {
      const { a, ...found } = beginModel(deps, request, route);
      answer(deps, reply, a, 200, JSON.stringify(body(request, found)));
    });
  };
  const metadata = (request: FastifyRequest<ModelParams>, { slot, served }: Addressed) => {
    const versions = [...new Set(catalogue.slotsOf(request.params.name)!.flatMap((s) => (s.current ? [s.current.version] : [])))].sort((a, b) => a - b);
    return modelMetadata(served, versions, slot.aliasLabel || null);
  };
  const ready = (_request: unknown, { served }: Addressed) => ({ name: served.model, version: `${served.version}`, ready: true });
  modelGet("/v2/models/:name", metadata);
  modelGet("/v2/models/:name/versions/:version", metadata);
  modelGet("/v2/models/:name/ready", ready);
  modelGet("/v2/models/:name/versions/:version/ready", ready);

  for (const route of ["/v2/models/:name/infer", "/v2/models/:name/versions/:version/infer"]) {
    app.post<ModelParams>(route, (request, reply) => {
      const { a, served } = beginModel(deps, request, route);
      if (Buffer.isBuffer(request.body)) {
        throw new HttpError(415, CODES.mediaType, `the infer route takes Open Inference Protocol JSON; send Arrow IPC streams to /v1/models/${served.model}/predict`);
      }
      const out = infer(served, request.body, policyOf(deps, request));
      a.rows = out.rows;
      noteInputs(deps, reply, a, out);
      answer(deps, reply, a, 200, out.text);
    });
  }
}
