// --workers N: a node:cluster primary forks N workers that share the port. Each worker is a whole
// server (it loads, certifies and hot-swaps its models itself); the primary only starts them, replaces
// one that dies, relays "gather" requests (/metrics, /status.json and /status/series merge every worker's figures) and
// drains them all on SIGTERM/SIGINT.
import cluster, { type Worker } from "node:cluster";
import type { Logger } from "./log.js";
import type { ServeMetrics } from "./metrics.js";

const WORKER_ENV = "MLSHIP_SERVE_WORKER";
const GATHER_TIMEOUT_MS = 3000;

type Kind = "metrics" | "status" | "series";
type Message =
  | { mlship: "listening"; url: string }
  | { mlship: "ready" }
  | { mlship: "gather"; id: number; kind: Kind } // worker -> primary: collect a report from every worker
  | { mlship: "report?"; id: string; kind: Kind } // primary -> each worker
  | { mlship: "report"; id: string; data: unknown } // each worker -> primary
  | { mlship: "gathered"; id: number; reports: unknown[] } // primary -> the asking worker
  | { mlship: "drain" }
  | { mlship: "force" };

const isMessage = (m: unknown): m is Message => typeof m === "object" && m !== null && "mlship" in m;

// This process's worker number (1..N) when it is a --workers worker, else null.
export function workerNumber(): number | null {
  const n = Number(process.env[WORKER_ENV]);
  return cluster.isWorker && Number.isInteger(n) && n > 0 ? n : null;
}

// Runs the primary until every worker has exited; returns the exit code (0 after a clean drain).
// bin/mlship is re-run in each worker with the same arguments (cluster's default: process.argv[1]).
export function runPrimary(workers: number, log: Logger): Promise<number> {
  const numberOf = new Map<Worker, number>();
  const everReady = new Set<number>();
  const ready = new Set<number>();
  const gathers = new Map<string, { reports: unknown[]; waiting: number; done: () => void }>();
  let url: string | null = null;
  let announced = false;
  let shuttingDown = false;
  let failed = false;
  let signals = 0;
  let finish: (code: number) => void = () => undefined;
  const done = new Promise<number>((resolve) => (finish = resolve));

  const send = (w: Worker, m: Message) => {
    if (w.isConnected()) w.send(m);
  };
  const shutDown = (how: "drain" | "force") => {
    shuttingDown = true;
    for (const w of numberOf.keys()) send(w, { mlship: how });
  };

  // Asks every worker for a report and answers the asking worker with all that came back in time.
  const relayGather = (asker: Worker, n: number, id: number, kind: Kind) => {
    const key = `${n}:${id}`;
    const live = [...numberOf.keys()].filter((w) => w.isConnected());
    const g = { reports: [] as unknown[], waiting: live.length, done: () => undefined as void };
    const timer = setTimeout(() => g.done(), GATHER_TIMEOUT_MS);
    g.done = () => {
      clearTimeout(timer);
      gathers.delete(key);
      send(asker, { mlship: "gathered", id, reports: g.reports });
    };
    gathers.set(key, g);
    for (const w of live) send(w, { mlship: "report?", id: key, kind });
  };

  const onMessage = (w: Worker, n: number, m: unknown) => {
    if (!isMessage(m)) return;
    switch (m.mlship) {
      case "listening":
        url ??= m.url;
        break;
      case "ready":
        ready.add(n);
        everReady.add(n);
        if (!announced && ready.size === workers) {
          announced = true;
          log.info("ready", { url, workers, pids: [...numberOf.keys()].map((x) => x.process.pid) });
        }
        break;
      case "gather":
        relayGather(w, n, m.id, m.kind);
        break;
      case "report": {
        const g = gathers.get(m.id);
        if (!g) break;
        if (m.data !== null) g.reports.push(m.data);
        if (--g.waiting === 0) g.done();
        break;
      }
    }
  };

  const fork = (n: number) => {
    const w = cluster.fork({ [WORKER_ENV]: String(n) });
    numberOf.set(w, n);
    w.on("message", (m: unknown) => onMessage(w, n, m));
  };

  cluster.on("exit", (w, code, signal) => {
    const n = numberOf.get(w);
    if (n === undefined) return;
    numberOf.delete(w);
    ready.delete(n);
    if (shuttingDown && code !== 0) failed = true; // a worker that did not drain cleanly
    if (!shuttingDown) {
      if (!everReady.has(n)) {
        // A worker that cannot start (a model fails to verify, the port is taken) stops the whole server.
        log.error("a worker failed to start; stopping the others", { worker: n, exitCode: code, signal });
        failed = true;
        shutDown("drain");
      } else {
        log.warn("a worker exited; starting a new one", { worker: n, exitCode: code, signal });
        setTimeout(() => shuttingDown || fork(n), 1000).unref();
      }
    }
    if (numberOf.size === 0 && shuttingDown) finish(failed ? 1 : 0);
  });

  const onSignal = (signal: NodeJS.Signals) => {
    if (++signals === 1) {
      log.info("draining every worker: no new connections; requests in flight finish", { signal });
      shutDown("drain");
    } else {
      log.warn("second signal: every worker closes its connections now", { signal });
      shutDown("force");
    }
    if (numberOf.size === 0) finish(failed ? 1 : 0);
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);

  log.info("starting workers", { workers });
  for (let n = 1; n <= workers; n++) fork(n);
  return done.finally(() => {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
    log.info("closed", { workers });
  });
}

// What a worker reports when the primary gathers (a RunningServer is one): its metrics, status figures and chart series.
export interface ReportSource {
  readonly metrics: ServeMetrics;
  readonly status: { figures(): unknown };
  readonly series: { figures(nowMs: number): unknown };
}

export interface WorkerLink {
  // What the app needs (AppDeps.cluster): this worker's number and a way to gather every worker's report.
  readonly cluster: { worker: number; gather(kind: Kind): Promise<unknown[]> };
  // Gives the link the running server, whose figures it reports.
  attach(server: ReportSource): void;
  tellListening(url: string): void;
  tellReady(): void;
  // Called when the primary asks this worker to drain (or to close connections now), or goes away.
  onDrain(drain: () => void, force: () => void): void;
}

// The worker's side of the IPC channel to the primary.
export function workerLink(worker: number): WorkerLink {
  let server: ReportSource | null = null;
  let next = 0;
  const waiting = new Map<number, (reports: unknown[]) => void>();
  let drain = () => undefined as void;
  let force = () => undefined as void;
  const send = (m: Message) => {
    if (process.connected) process.send!(m);
  };
  const ownReport = async (kind: Kind): Promise<unknown> =>
    server === null ? null : kind === "metrics" ? await server.metrics.registry.getMetricsAsJSON() : kind === "series" ? server.series.figures(Date.now()) : server.status.figures();

  process.on("message", (m: unknown) => {
    if (!isMessage(m)) return;
    if (m.mlship === "report?") void ownReport(m.kind).then((data) => send({ mlship: "report", id: m.id, data }), () => send({ mlship: "report", id: m.id, data: null }));
    else if (m.mlship === "gathered") waiting.get(m.id)?.(m.reports);
    else if (m.mlship === "drain") drain();
    else if (m.mlship === "force") force();
  });
  process.on("disconnect", () => drain()); // the primary is gone: nobody will restart us

  return {
    cluster: {
      worker,
      gather: (kind) =>
        new Promise((resolve) => {
          const id = next++;
          const fallback = () => void ownReport(kind).then((r) => resolve(r === null ? [] : [r]));
          const timer = setTimeout(() => (waiting.delete(id), fallback()), GATHER_TIMEOUT_MS + 1000);
          waiting.set(id, (reports) => {
            clearTimeout(timer);
            waiting.delete(id);
            resolve(reports);
          });
          if (process.connected) send({ mlship: "gather", id, kind });
          else (clearTimeout(timer), waiting.delete(id), fallback());
        }),
    },
    attach: (s) => void (server = s),
    tellListening: (url) => send({ mlship: "listening", url }),
    tellReady: () => send({ mlship: "ready" }),
    onDrain: (d, f) => {
      drain = d;
      force = f;
    },
  };
}
