// mlship serve: the prediction service; runs until SIGTERM/SIGINT, then drains and returns 0. With
// --workers N this process becomes a node:cluster primary and each worker runs this same command.
import { readFile } from "node:fs/promises";
import { availableParallelism } from "node:os";
import { join, resolve } from "node:path";
import type { Context } from "../context.js";
import { openStoreFor } from "../store.js";
import { EXIT, UserError } from "../../errors.js";
import { exposureWarning } from "../../serve/runtime/exposure.js";
import { createLogger, parseServeOptions, resolveSlots, runPrimary, startServer, workerLink, workerNumber, type RawServeOptions } from "../../serve/index.js";

export async function run(ctx: Context, opts: RawServeOptions): Promise<number> {
  const parsed = parseServeOptions({ ...opts, accessLog: Boolean(opts.accessLog) || ctx.env.MLSHIP_ACCESS_LOG === "1" }, availableParallelism());
  if (!parsed.ok) throw new UserError(parsed.problems.join("\n"), "E_USAGE");
  const token = opts.tokenFile ? await readToken(resolve(ctx.cwd, opts.tokenFile)) : null;
  const store = openStoreFor(ctx, opts.store);
  const jsonLogs = Boolean(opts.jsonLogs) || !ctx.isTTY;
  const worker = workerNumber();
  const log = createLogger(ctx.stderr, jsonLogs, ctx.now, worker === null ? {} : { worker });
  const exposed = worker === null ? exposureWarning(parsed.flags.host, token !== null) : undefined;
  if (exposed) log.warn(exposed, { host: parsed.flags.host });
  if (worker === null && parsed.flags.workers > 1) {
    await resolveSlots(store, parsed.flags.models); // bad references exit 2 here, before any worker starts
    return runPrimary(parsed.flags.workers, log);
  }
  const link = worker === null ? null : workerLink(worker);
  const flags = parsed.flags;
  if (ctx.env.MLSHIP_BENCH_UNCHECKED_ARROW === "1") {
    flags.limits = { ...flags.limits, uncheckedArrow: true };
    log.warn("Arrow bodies are NOT checked (MLSHIP_BENCH_UNCHECKED_ARROW=1): a switch for bench/serve-arrow.mjs only; never serve like this", {});
  }
  const server = await startServer({ store, log, now: ctx.now }, { ...flags, token, serverVersion: await packageVersion(ctx.projectRoot), cluster: link?.cluster ?? null });
  link?.attach(server);
  link?.tellListening(server.url);
  void server.ready.then(() => link?.tellReady(), () => undefined);

  let signals = 0;
  let draining = false;
  const drain = (fields: Record<string, unknown>) => {
    if (draining) return;
    draining = true;
    log.info("draining: no new connections; requests in flight finish", fields);
    void server.close();
  };
  const onSignal = (signal: NodeJS.Signals) => {
    if (++signals === 1) drain({ signal });
    else {
      log.warn("second signal: closing every connection now", { signal });
      server.forceClose();
    }
  };
  link?.onDrain(() => drain({ by: "primary" }), () => server.forceClose());
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  try {
    await Promise.race([server.ready, server.closed]);
    await server.closed;
    return EXIT.ok;
  } catch (err) {
    await server.close();
    throw err;
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
}

// The token in --token-file, without surrounding whitespace (editors add a final newline).
async function readToken(path: string): Promise<string> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (err) {
    throw new UserError(`--token-file ${path}: ${(err as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (err as Error).message}`, "E_USAGE");
  }
  const token = text.trim();
  if (!token) throw new UserError(`--token-file ${path}: the file is empty`, "E_USAGE");
  return token;
}

async function packageVersion(root: string): Promise<string> {
  try {
    return (JSON.parse(await readFile(join(root, "package.json"), "utf8")) as { version?: string }).version ?? "0.0.0";
  } catch {
    return "0.0.0";
  }
}
