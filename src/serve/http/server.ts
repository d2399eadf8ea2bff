// Starts `mlship serve`: resolve the model references, listen, load and certify every version, then watch the aliases.
// The one place the three layers meet: the runtime (catalogue, load, watch), the protocol's warm-up and the HTTP app.
import type { AddressInfo } from "node:net";
import { FatalError } from "../../errors.js";
import type { Store } from "../../store/types.js";
import { createApp } from "./app.js";
import { Catalogue, resolveSlots } from "../runtime/catalogue.js";
import { loadVersion } from "../runtime/load.js";
import type { Logger } from "../runtime/log.js";
import type { AppDeps } from "./route-context.js";
import { ServeMetrics } from "../runtime/metrics.js";
import { DEFAULT_LIMITS, DEFAULT_POLICY, type InputPolicy, type RequestLimits, type Timeouts } from "../runtime/options.js";
import { StatusStats } from "./status.js";
import { SeriesStats } from "./series.js";
import { watchSlots, type Watcher } from "../runtime/watch.js";
import { warmRecord } from "../protocol/warm-up.js";

export interface ServeConfig {
  models: string[];
  host: string;
  port: number;
  token: string | null;
  pollIntervalMs: number;
  bodyLimit: number;
  inputs?: InputPolicy; // the input contract's mode and the default on_invalid (lenient, fail)
  limits?: RequestLimits; // default DEFAULT_LIMITS
  drainTimeoutMs?: number; // after this long, connections still open at shutdown are closed (default 10 s)
  timeouts?: Timeouts; // request, headers, idle and keep-alive timeouts (default DEFAULT_TIMEOUTS)
  serverVersion: string;
  cluster?: AppDeps["cluster"]; // set in a --workers N worker (src/serve/runtime/cluster.ts)
  accessLog?: boolean; // one log line per answered request (default off)
}

export interface ServeWorld {
  store: Store;
  log: Logger;
  now: () => Date;
}

export interface RunningServer {
  readonly url: string;
  readonly catalogue: Catalogue;
  readonly metrics: ServeMetrics;
  readonly status: StatusStats;
  readonly series: SeriesStats;
  // Resolves when every model is loaded and certified; rejects (FatalError) when one cannot be.
  readonly ready: Promise<void>;
  // Resolves when the server has closed.
  readonly closed: Promise<void>;
  // Polls the aliases now (tests; the timer does it every poll interval).
  pollNow(): Promise<void>;
  // Graceful: stop polling, stop accepting connections, let requests in flight finish.
  close(): Promise<void>;
  // Closes every connection now (a second signal).
  forceClose(): void;
}

export async function startServer(world: ServeWorld, config: ServeConfig): Promise<RunningServer> {
  const { store, log } = world;
  const { slots, records } = await resolveSlots(store, config.models);
  const catalogue = new Catalogue(slots);
  const metrics = new ServeMetrics(config.serverVersion);
  const cluster = config.cluster ?? null;
  const status = new StatusStats(catalogue, cluster?.worker ?? 1, world.now());
  const series = new SeriesStats(cluster?.worker ?? 1);
  const app = createApp({ catalogue, metrics, log, bodyLimit: config.bodyLimit, inputs: config.inputs ?? DEFAULT_POLICY, token: config.token, serverVersion: config.serverVersion, status, series, accessLog: config.accessLog ?? false, cluster, timeouts: config.timeouts, limits: config.limits ?? DEFAULT_LIMITS });
  try {
    await app.listen({ host: config.host, port: config.port });
  } catch (err) {
    throw new FatalError(`cannot listen on ${config.host}:${config.port}: ${(err as Error).message}`, "E_LISTEN", { cause: err });
  }
  const { address, port, family } = app.server.address() as AddressInfo;
  const url = `http://${family === "IPv6" ? `[${address}]` : address}:${port}`;
  log.info("listening", { url, models: config.models, auth: config.token ? "bearer token" : "none" });

  let watcher: Watcher | null = null;
  let closing: Promise<void> | null = null;

  const ready = (async () => {
    const outcomes = await Promise.all(records.map((record) => loadVersion(store, record, warmRecord, world.now)));
    const problems: string[] = [];
    outcomes.forEach((outcome, i) => {
      const slot = slots[i]!;
      if (!outcome.ok) {
        problems.push(...outcome.problems.map((p) => `${slot.ref} (${slot.model}@${records[i]!.version}): ${p}`));
        return;
      }
      catalogue.swap(slot, outcome.served);
      metrics.versionLoaded(slot, outcome.served);
      log.info("loaded", { model: slot.model, alias: slot.aliasLabel, version: outcome.served.version, loadMs: Math.round(outcome.ms), parityRows: outcome.parity.rows, parityMaxAbsDiff: outcome.parity.maxAbsDiff });
    });
    if (problems.length) {
      log.error("cannot serve: a model failed verification", { problems });
      throw new FatalError("cannot serve: a model failed to load or verify", "E_LOAD", { details: problems });
    }
    if (closing) return;
    watcher = watchSlots({ store, catalogue, log, metrics, intervalMs: config.pollIntervalMs, now: world.now, warmUp: warmRecord });
    log.info("ready", { models: catalogue.versionHeader });
  })();
  ready.catch(() => undefined); // the caller awaits it; never an unhandled rejection

  let markClosed: () => void = () => undefined;
  const closed = new Promise<void>((resolve) => (markClosed = resolve));
  const close = () =>
    (closing ??= (async () => {
      await watcher?.stop();
      const force = setTimeout(() => app.server.closeAllConnections(), config.drainTimeoutMs ?? 10_000);
      force.unref();
      await app.close();
      clearTimeout(force);
      log.info("closed");
      markClosed();
    })());

  return {
    url,
    catalogue,
    metrics,
    status,
    series,
    ready,
    closed,
    pollNow: async () => {
      await ready;
      await watcher?.pollNow();
    },
    close,
    forceClose: () => app.server.closeAllConnections(),
  };
}
