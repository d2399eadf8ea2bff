// A run's stop signal: the caller's (a newer run replaces it), timeout.run's timer, or an explicit stop.
export interface RunDeadline {
  signal: AbortSignal;
  timedOut: () => boolean; // whether timeout.run ended it
  stop: (reason: Error) => void; // ends it now (e.g. Ctrl-C while no Spark runs)
  clear: () => void; // no more timer, no more listening to the caller's signal
}

// Why a run was stopped by timeout.run (the abort reason).
export class RunTimedOut extends Error {
  constructor(readonly seconds: number) {
    super(`exceeded timeout.run (${seconds} s)`);
    this.name = "RunTimedOut";
  }
}

// One signal that aborts on the first of: `outer`, `seconds` elapsed (null: never), stop().
export function runDeadline(seconds: number | null, outer?: AbortSignal, setTimer: typeof setTimeout = setTimeout): RunDeadline {
  const controller = new AbortController();
  let timedOut = false;
  const onOuter = () => controller.abort(outer?.reason);
  outer?.addEventListener("abort", onOuter, { once: true });
  if (outer?.aborted) onOuter();
  const timer =
    seconds === null
      ? undefined
      : setTimer(() => {
          if (controller.signal.aborted) return;
          timedOut = true;
          controller.abort(new RunTimedOut(seconds));
        }, seconds * 1000);
  return {
    signal: controller.signal,
    timedOut: () => timedOut,
    stop: (reason) => controller.abort(reason),
    clear: () => {
      clearTimeout(timer);
      outer?.removeEventListener("abort", onOuter);
    },
  };
}
