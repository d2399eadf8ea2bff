// Hot swap: polls each moving slot's alias (or newest version); a new version is loaded, verified and
// warmed in the background, then swapped in with one assignment. A version that fails is refused and
// the old one keeps serving.
import { getVersion } from "../../registry/index.js";
import type { Store } from "../../store/types.js";
import { targetVersion, type Catalogue, type Slot } from "./catalogue.js";
import { loadVersion, type WarmUp } from "./load.js";
import type { Logger } from "./log.js";
import type { ServeMetrics } from "./metrics.js";

export interface WatchDeps {
  store: Store;
  catalogue: Catalogue;
  log: Logger;
  metrics: ServeMetrics;
  intervalMs: number;
  now: () => Date;
  warmUp: WarmUp; // the request path a new version is warmed through before it is swapped in
  retryRefusedAfterMs?: number; // a refused version is tried again after this long (transient store errors heal)
}

export interface Watcher {
  // Polls every moving slot now and resolves when any resulting load or swap is done.
  pollNow(): Promise<void>;
  // Stops polling and waits for a load in progress.
  stop(): Promise<void>;
}

export function watchSlots(deps: WatchDeps): Watcher {
  const { store, catalogue, log, metrics } = deps;
  const moving = catalogue.slots.filter((s) => s.target.kind !== "version");
  const retryAfter = deps.retryRefusedAfterMs ?? Math.max(60_000, deps.intervalMs * 10);
  const refused = new Map<Slot, Map<number, number>>(moving.map((s) => [s, new Map()]));
  const missing = new Set<Slot>();
  // The last "cannot read" warning per slot: a damaged alias record is logged once, not on every poll.
  const unreadable = new Map<Slot, string>();
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | null = null;

  const pollSlot = async (slot: Slot): Promise<void> => {
    const fields = { model: slot.model, alias: slot.aliasLabel };
    let version: number | null;
    try {
      version = await targetVersion(store, slot.model, slot.target);
    } catch (err) {
      const error = (err as Error).message;
      if (unreadable.get(slot) !== error) log.warn("cannot read the alias; still serving the current version", { ...fields, error });
      unreadable.set(slot, error);
      return;
    }
    if (unreadable.delete(slot)) log.info("the alias can be read again", fields);
    if (version === null) {
      if (!missing.has(slot)) log.warn("the alias points nowhere now; still serving the current version", fields);
      missing.add(slot);
      return;
    }
    missing.delete(slot);
    if (version === slot.current?.version) return;
    const retryAt = refused.get(slot)!.get(version);
    if (retryAt !== undefined && deps.now().getTime() < retryAt) return;
    const from = slot.current?.tag ?? null;
    log.info("alias moved: loading the new version", { ...fields, from, to: `${slot.model}@${version}` });
    const record = await getVersion(store, slot.model, version).catch((err: Error) => err);
    const outcome =
      record instanceof Error || record === null
        ? { ok: false as const, problems: [record ? record.message : `version record ${slot.model}@${version} is missing`] }
        : await loadVersion(store, record, deps.warmUp, deps.now);
    if (stopped) return;
    if (outcome.ok) {
      catalogue.swap(slot, outcome.served);
      metrics.versionLoaded(slot, outcome.served);
      metrics.swapped(slot, "swapped");
      refused.get(slot)!.delete(version);
      log.info("swapped", { ...fields, from, to: outcome.served.tag, loadMs: Math.round(outcome.ms), parityRows: outcome.parity.rows, parityMaxAbsDiff: outcome.parity.maxAbsDiff });
    } else {
      refused.get(slot)!.set(version, deps.now().getTime() + retryAfter);
      metrics.swapped(slot, "refused");
      log.error("refused the new version; still serving the previous one", { ...fields, version, serving: from, problems: outcome.problems });
    }
  };

  const pollAll = (): Promise<void> =>
    (running ??= Promise.all(moving.map(pollSlot)).then(
      () => {
        running = null;
      },
      (err) => {
        running = null;
        log.error("polling failed", { error: (err as Error).message });
      },
    ));

  const schedule = () => {
    timer = setTimeout(() => {
      void pollAll().then(() => stopped || schedule());
    }, deps.intervalMs);
  };
  if (moving.length) schedule();

  return {
    async pollNow() {
      await running;
      await pollAll();
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
