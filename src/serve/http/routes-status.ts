// The server's own pages: the status page at `/`, its data at /status.json and /status/series, and Prometheus /metrics.
// With --workers N, the answering worker gathers every worker's figures and merges them.
import type { FastifyInstance } from "fastify";
import { AggregatorRegistry, type MetricObjectWithValues, type MetricValue } from "prom-client";
import { answer, begin, type AppDeps } from "./route-context.js";
import { STATUS_PAGE, STATUS_PAGE_HEADERS } from "./status-page.js";
import { statusDocument, type WorkerFigures } from "./status.js";
import { seriesDocument, type WorkerSeries } from "./series.js";

export function statusRoutes(app: FastifyInstance, deps: AppDeps): void {
  app.get("/", (request, reply) => {
    answer(deps, reply.headers(STATUS_PAGE_HEADERS), begin(request, "/"), 200, STATUS_PAGE, "text/html; charset=utf-8");
  });

  app.get("/status.json", async (request, reply) => {
    const a = begin(request, "/status.json");
    const figures = deps.cluster ? ((await deps.cluster.gather("status")) as WorkerFigures[]) : [deps.status.figures()];
    const doc = statusDocument(deps.catalogue, figures, deps.serverVersion, Date.now());
    answer(deps, reply.header("cache-control", "no-store"), a, 200, JSON.stringify(doc));
    return reply;
  });

  app.get("/status/series", async (request, reply) => {
    const a = begin(request, "/status/series");
    const now = Date.now();
    const all = deps.cluster ? ((await deps.cluster.gather("series")) as WorkerSeries[]) : [deps.series.figures(now)];
    answer(deps, reply.header("cache-control", "no-store"), a, 200, JSON.stringify(seriesDocument(all, now)));
    return reply;
  });

  app.get("/metrics", async (request, reply) => {
    const a = begin(request, "/metrics");
    const registry = deps.metrics.registry;
    let text: string;
    if (deps.cluster) {
      const all = (await deps.cluster.gather("metrics")) as MetricObjectWithValues<MetricValue<string>>[][];
      text = await AggregatorRegistry.aggregate(all).metrics();
    } else {
      text = await registry.metrics();
    }
    answer(deps, reply, a, 200, text, registry.contentType);
    return reply;
  });
}
