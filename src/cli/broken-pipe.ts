// Keeps a closed reader (`mlship train … 2>&1 | tee log` with tee gone) from killing the CLI mid-run: without a
// listener, an EPIPE on stdout or stderr is an uncaught error and Node exits before Spark is stopped and run.json
// is written. The output is lost either way; the run's clean-up must not be.

const BROKEN = new Set(["EPIPE", "ERR_STREAM_DESTROYED", "ERR_STREAM_WRITE_AFTER_END"]);
const guarded = new WeakSet<NodeJS.EventEmitter>();

// Whether a stream error only says that nobody reads any more.
export const isBrokenPipe = (err: unknown) => typeof err === "object" && err !== null && BROKEN.has(String((err as { code?: unknown }).code));

// Swallows broken-pipe errors on the given streams (once per stream); any other error is thrown as before.
export function ignoreBrokenPipes(streams: NodeJS.EventEmitter[] = [process.stdout, process.stderr]): void {
  for (const stream of streams) {
    if (guarded.has(stream)) continue;
    guarded.add(stream);
    stream.on("error", (err: unknown) => {
      if (!isBrokenPipe(err)) throw err;
    });
  }
}
