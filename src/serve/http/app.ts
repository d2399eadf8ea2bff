// The fastify app: JSON parsing, the optional token check, error and 404 answers, then the route files.
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from "fastify";
import { bearerCheck } from "./auth.js";
import { CODES, HttpError } from "../protocol/errors.js";
import { errorBody, toHttpError } from "./errors.js";
import { answer, begin, routeOf, type Answer, type AppDeps } from "./route-context.js";
import { ARROW_STREAM } from "../protocol/arrow.js";
import { guardConnections, timeoutOptions } from "./connection.js";
import { DEFAULT_TIMEOUTS } from "../runtime/options.js";
import { redactUrl } from "../runtime/log.js";
import { jsonRoutes } from "./routes-json.js";
import { accessFields, traceFields } from "./access-log.js";
import { requestIdOf, REQUEST_ID_HEADER } from "./request-id.js";
import { oipRoutes } from "./routes-oip.js";
import { statusRoutes } from "./routes-status.js";

declare module "fastify" {
  interface FastifyRequest {
    mlshipAnswer: Answer | null; // set by every handler before it works, so errors and metrics know the model and route
  }
}

// Probes must work without the token; so does the status page's HTML (its data, /status.json, needs the token).
const isOpenPath = (url: string) => url.startsWith("/v2/health/live") || url.startsWith("/v2/health/ready") || url === "/" || url.startsWith("/?");

export function createApp(deps: AppDeps): FastifyInstance {
  const { log } = deps;
  const timeouts = deps.timeouts ?? DEFAULT_TIMEOUTS;
  let onClientError: ReturnType<typeof guardConnections> = () => undefined; // set once the server exists, below
  const app = Fastify({
    logger: false,
    ...timeoutOptions(timeouts),
    clientErrorHandler: (err, socket) => onClientError(err, socket),
    // Bad percent-encoding and over-long path segments, which fastify answers before routing (and the token check).
    frameworkErrors: (err, request, reply) => {
      const e = toHttpError(err);
      const a = begin(request, "unmatched");
      a.code = e.code;
      answer(deps, reply, a, e.status, errorBody(e, request.id), undefined, false);
    },
    bodyLimit: deps.bodyLimit,
    return503OnClosing: false, // during a drain, requests on open connections are still answered (with Connection: close)
    requestIdHeader: false,
    genReqId: (req) => requestIdOf(req.headers[REQUEST_ID_HEADER]), // echoed by answer(), logged, in error bodies
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 256 },
  });
  app.decorateRequest("mlshipAnswer", null);
  onClientError = guardConnections(app.server, timeouts, log);

  // Plain JSON.parse instead of fastify's prototype-poisoning scan: no route merges parsed objects
  // into others, and a "__proto__" key is rejected like any unknown field.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser("application/json", { parseAs: "string" }, (_req, body, done) => {
    try {
      done(null, JSON.parse(body as string));
    } catch (err) {
      done(new HttpError(400, CODES.badJson, `the request body is not valid JSON: ${(err as Error).message}`), undefined);
    }
  });
  // Arrow IPC batches arrive as bytes; the predict route decodes them (src/serve/protocol/arrow.ts).
  app.addContentTypeParser(ARROW_STREAM, { parseAs: "buffer" }, (_req, body, done) => done(null, body));

  if (deps.token !== null) {
    const check = bearerCheck(deps.token);
    app.addHook("onRequest", (request, _reply, done) => {
      if (isOpenPath(request.url) || check(request.headers.authorization)) return done();
      done(new HttpError(401, CODES.unauthorized, "send the header Authorization: Bearer <token> (the token in the server's --token-file)"));
    });
  }

  // Metrics once the response has gone out; fastify's elapsedTime covers parsing, scoring and writing.
  app.addHook("onResponse", (request, reply, done) => {
    const a = request.mlshipAnswer;
    const route = a?.route ?? routeOf(request);
    const seconds = reply.elapsedTime / 1000;
    deps.metrics.request(a?.slot ?? null, a?.served ?? null, route, reply.statusCode, seconds, a?.code ?? null, a?.rows ?? 0);
    const now = Date.now();
    deps.status.record(a?.slot ?? null, route, reply.statusCode, seconds, now);
    deps.series.record(a?.served ?? null, route, reply.statusCode, seconds, now);
    if (deps.accessLog) log.info("request", accessFields(request, reply, a, route, seconds));
    done();
  });

  app.setErrorHandler((err, request, reply) => {
    const e = toHttpError(err);
    if (e.status >= 500) log.error("request failed", { id: request.id, ...traceFields(request.headers.traceparent), method: request.method, url: redactUrl(request.url), error: (err as Error)?.stack ?? String(err) });
    sendError(deps, request, reply, e);
  });
  app.setNotFoundHandler((request, reply) => {
    sendError(deps, request, reply, new HttpError(404, CODES.notFound, `no route ${request.method} ${request.url.split("?")[0]}; see docs/serving.md`));
  });

  oipRoutes(app, deps);
  jsonRoutes(app, deps);
  statusRoutes(app, deps);
  return app;
}

// Answers with the error body; the version header names the version the request was addressed to, else every loaded one.
function sendError(deps: AppDeps, request: FastifyRequest, reply: FastifyReply, e: HttpError): void {
  const a = request.mlshipAnswer ?? begin(request, routeOf(request));
  if (!a.slot) {
    const name = (request.params as { name?: unknown } | undefined)?.name;
    a.slot = (typeof name === "string" ? deps.catalogue.slotsOf(name)?.[0] : undefined) ?? null;
    a.served = a.slot?.current ?? null;
  }
  a.code = e.code;
  if (e.status === 401) reply.header("www-authenticate", 'Bearer realm="mlship"');
  answer(deps, reply, a, e.status, errorBody(e, request.id));
}
