// How a pull fetches each file: whole with one GET, or in byte ranges fetched in parallel (pure).

export interface PullTuning {
  concurrency: number; // requests in flight at once, over all files
  partSize: number; // bytes per ranged GET
  threshold: number; // files larger than this are fetched in ranges
}

export const DEFAULT_TUNING: PullTuning = { concurrency: 8, partSize: 8 << 20, threshold: 16 << 20 };

// One ranged GET: bytes start..end, both inclusive (as in an HTTP Range header).
export interface Part {
  index: number;
  start: number;
  end: number;
}

export type FetchPlan = { kind: "whole" } | { kind: "ranged"; parts: Part[] };

// Consecutive ranges of `partSize` bytes covering `size` bytes (the last one shorter).
export function planParts(size: number, partSize: number): Part[] {
  if (!(partSize > 0)) throw new Error(`part size must be positive, got ${partSize}`);
  const parts: Part[] = [];
  for (let start = 0, index = 0; start < size; start += partSize, index++) {
    parts.push({ index, start, end: Math.min(start + partSize, size) - 1 });
  }
  return parts;
}

// Small files come whole; larger ones in ranges (a file of one part would gain nothing from a range).
export function planFetch(size: number, tuning: PullTuning): FetchPlan {
  if (size <= tuning.threshold || size <= tuning.partSize) return { kind: "whole" };
  return { kind: "ranged", parts: planParts(size, tuning.partSize) };
}
