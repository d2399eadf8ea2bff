// A Store wrapper for pull tests: counts each kind of request and the most ranged reads in flight at once,
// and can hold each ranged read a moment (so others start) or run a hook once the first one has answered.
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import type { Store } from "../../src/store/index.js";

export function countingStore(inner: Store, opts: { delayMs?: number; afterFirstRange?: () => Promise<void> } = {}) {
  const counts = { get: 0, head: 0, getRange: 0, maxInFlight: 0 };
  let inFlight = 0;
  let afterFirstRange = opts.afterFirstRange;
  const store: Store = Object.assign(Object.create(inner) as Store, {
    get: (k: string) => (counts.get++, inner.get(k)),
    head: (k: string) => (counts.head++, inner.head(k)),
    getRange: async (k: string, s: number, e: number) => {
      counts.getRange++;
      counts.maxInFlight = Math.max(counts.maxInFlight, ++inFlight);
      if (opts.delayMs) await new Promise((r) => setTimeout(r, opts.delayMs));
      try {
        return await inner.getRange(k, s, e);
      } finally {
        inFlight--;
        const hook = afterFirstRange;
        afterFirstRange = undefined;
        await hook?.();
      }
    },
  });
  return { store, counts };
}

// What a pull left in the cache folder: verified blobs and temporary files.
export const cacheContents = (cacheDir: string) => ({
  blobs: existsSync(join(cacheDir, "sha256")) ? readdirSync(join(cacheDir, "sha256")) : [],
  temp: existsSync(join(cacheDir, "tmp")) ? readdirSync(join(cacheDir, "tmp")) : [],
});
