// Partition values for the watermark rule: read from hive-style folders (`day=2026-12-01/`) and compared with a watermark.
import type { Watermark } from "../registry/records.js";

type WatermarkValue = Watermark["value"];

// The value of `column` in a file's path (its last `column=value` folder, percent-decoded), or null when it has none.
export function partitionValue(path: string, column: string): string | null {
  const folders = path.split("/").slice(0, -1);
  for (let i = folders.length - 1; i >= 0; i--) {
    const eq = folders[i]!.indexOf("=");
    if (eq > 0 && decode(folders[i]!.slice(0, eq)) === column) return decode(folders[i]!.slice(eq + 1));
  }
  return null;
}

// Whether a folder's value is above the watermark: numbers numerically, dates and plain text as text (ISO dates sort
// as text); null when the listing cannot tell (a timestamp, a boolean, Hive's null folder, text against a number).
export function aboveWatermark(folderValue: string, watermark: WatermarkValue): boolean | null {
  if (watermark === null) return folderValue === HIVE_NULL ? false : null;
  if (folderValue === HIVE_NULL) return false; // null partitions are never above a watermark (max skips nulls)
  if (typeof watermark === "number") {
    const n = Number(folderValue);
    return folderValue.trim() !== "" && Number.isFinite(n) ? n > watermark : null;
  }
  if (typeof watermark === "string" && !TIMESTAMP.test(watermark) && !TIMESTAMP.test(folderValue)) return folderValue > watermark;
  return null;
}

// The highest watermark of a chain (versions oldest first): each version read only rows above its parent's, so the
// chain's watermark is the greatest one recorded; null when none is comparable or none was recorded.
export function chainWatermark(watermarks: readonly (Watermark | undefined)[]): Watermark | null {
  let best: Watermark | null = null;
  for (const w of watermarks) {
    if (!w) continue;
    if (!best || best.value === null || (w.value !== null && compare(w.value, best.value) > 0)) best = w;
  }
  return best;
}

const HIVE_NULL = "__HIVE_DEFAULT_PARTITION__";
const TIMESTAMP = /\d[T ]\d\d:/;

const compare = (a: Exclude<WatermarkValue, null>, b: Exclude<WatermarkValue, null>): number =>
  typeof a === "number" && typeof b === "number" ? a - b : String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0;

const decode = (s: string): string => {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
};
