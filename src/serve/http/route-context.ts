// Shared by the route files: the header names, what every route is given, and the one way a route answers.
import type { FastifyReply, FastifyRequest } from "fastify";
import type { Catalogue, Found, Slot } from "../runtime/catalogue.js";
import type { Logger } from "../runtime/log.js";
import type { ServeMetrics } from "../runtime/metrics.js";
import type { InputPolicy, RequestLimits, Timeouts } from "../runtime/options.js";
import type { ServedVersion } from "../runtime/served.js";
import type { StatusStats } from "./status.js";
import type { SeriesStats } from "./series.js";
import { REQUEST_ID_HEADER } from "./request-id.js";
import { CODES, HttpError } from "../protocol/errors.js";
import { requestPolicy, type UnseenCounts } from "../protocol/inputs.js";

export const VERSION_HEADER = "x-mlship-model-version";
export const WORKER_HEADER = "x-mlship-worker";
export const JSON_TYPE = "application/json; charset=utf-8";

export interface AppDeps {
  catalogue: Catalogue;
  metrics: ServeMetrics;
  log: Logger;
  bodyLimit: number;
  inputs: InputPolicy; // the input contract's mode and the default on_invalid
  limits: RequestLimits;
  token: string | null;
  serverVersion: string;
  status: StatusStats;
  series: SeriesStats; // the status page's charts
  accessLog: boolean; // --access-log: one log line per answered request
  timeouts?: Timeouts; // DEFAULT_TIMEOUTS when not given
  // With --workers N: this worker's number (1..N) and a way to collect a report from every worker.
  cluster: { worker: number; gather(kind: "metrics" | "status" | "series"): Promise<unknown[]> } | null;
}

// Where an answer is from, for the version header and the metrics (recorded when the response has gone out).
export interface Answer {
  route: string; // the route pattern, e.g. /v1/models/:name/predict ("unmatched" for 404s)
  slot: Slot | null;
  served: ServedVersion | null; // the version object that answers, even if a swap happens meanwhile
  code: string | null; // the error code of an error answer
  rows: number;
}

// Starts the answer of a request; model routes call it before scoring so errors are labelled too.
export function begin(request: FastifyRequest, route: string, slot: Slot | null = null, served: ServedVersion | null = null): Answer {
  return (request.mlshipAnswer = { route, slot, served, code: null, rows: 0 });
}

// The route parameters of a request about one model (`versions/:version` is optional).
export type ModelParams = { Params: { name: string; version?: string } };

// Starts the answer of a request about one model, then labels it with the version that answers (kept even if
// a swap happens meanwhile); begun first, so a model that is not found is labelled with its route too.
export function beginModel(deps: AppDeps, request: FastifyRequest<ModelParams>, route: string): { a: Answer; slot: Slot; served: ServedVersion } {
  const a = begin(request, route);
  const found = deps.catalogue.find(request.params.name, request.params.version);
  if (!found.ok) throw notFound(found);
  const { slot, served } = found;
  a.slot = slot;
  a.served = served;
  return { a, slot, served };
}

// The answer to a model or version the catalogue does not serve (yet).
function notFound(found: Extract<Found, { ok: false }>): HttpError {
  if (found.reason === "loading") return new HttpError(503, CODES.notReady, found.message);
  return new HttpError(404, found.reason === "no-model" ? CODES.modelNotFound : CODES.versionNotFound, found.message);
}

// The input policy of a predict request: the server's, with the request's ?on_invalid=; a bad value is a 400.
export function policyOf(deps: AppDeps, request: FastifyRequest): InputPolicy {
  const policy = requestPolicy(deps.inputs, request.query);
  if (typeof policy === "string") throw new HttpError(400, CODES.badRequest, policy);
  return policy;
}

// Records what the input contract saw in a scored request (unseen categories, skipped rows) and says how many
// rows were skipped in a header.
export function noteInputs(deps: AppDeps, reply: FastifyReply, a: Answer, out: { unseen: UnseenCounts; skipped: number }): void {
  if (a.slot && a.served && (out.unseen.byInput.size || out.skipped)) deps.metrics.inputs(a.slot, a.served, out.unseen.byInput, out.skipped);
  if (out.skipped) reply.header(SKIPPED_HEADER, out.skipped);
}

const SKIPPED_HEADER = "x-mlship-skipped-rows";

// Sends a JSON text answer naming the version that answered (or every loaded one); a 401/403, or an answer given
// before the token check (`named` false), names none.
export function answer(deps: AppDeps, reply: FastifyReply, a: Answer, status: number, text: string | Uint8Array, contentType = JSON_TYPE, named = status !== 401 && status !== 403): void {
  const tag = named ? (a.served?.tag ?? deps.catalogue.versionHeader) : null;
  if (tag) reply.header(VERSION_HEADER, tag);
  if (deps.cluster) reply.header(WORKER_HEADER, deps.cluster.worker);
  reply.header(REQUEST_ID_HEADER, reply.request.id);
  reply.code(status).header("content-type", contentType).send(text);
}

// The route pattern of a request, for errors raised before a handler ran.
export function routeOf(request: FastifyRequest): string {
  return request.is404 ? "unmatched" : (request.routeOptions.url ?? "unmatched");
}
