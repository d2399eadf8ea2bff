// The optional access log (--access-log): one line per answered request, with what it was and how it went, never
// its body, query string or headers (a token can be in any of them).
import type { FastifyReply, FastifyRequest } from "fastify";
import type { Fields } from "../runtime/log.js";
import type { Answer } from "./route-context.js";
import { parseTraceparent } from "./traceparent.js";

// The fields of one access log line; `seconds` is the request's latency.
export function accessFields(request: FastifyRequest, reply: FastifyReply, a: Answer | null, route: string, seconds: number): Fields {
  const length = Number(reply.getHeader("content-length"));
  return {
    id: request.id,
    method: request.method,
    route,
    model: a?.served?.model ?? a?.slot?.model ?? null,
    alias: a?.slot ? a.slot.aliasLabel || null : null,
    version: a?.served?.version ?? null,
    status: reply.statusCode,
    code: a?.code ?? null,
    latencyMs: Math.round(seconds * 1e6) / 1000,
    bytes: Number.isFinite(length) ? length : 0,
    rows: a?.rows ?? 0,
    ...traceFields(request.headers.traceparent),
  };
}

// {traceId} of a valid traceparent header, else nothing: log lines about a request carry its trace.
export function traceFields(header: string | string[] | undefined): { traceId?: string } {
  const t = header === undefined ? null : parseTraceparent(header);
  return t ? { traceId: t.traceId } : {};
}
