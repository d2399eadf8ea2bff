// Whether a run is a short driver job, which Spark runs faster on the JIT's fast tier without whole-stage code
// generation (compiling costs more than it saves there): a train, or an update in a mode whose cost follows the new
// rows, reading files of known, small total size. docs/updating.md "Costs".

// The modes that read the new rows only (`retrain` and `warm` read the whole history: long runs).
export const NEW_ROWS_MODES: readonly string[] = ["exact", "laplace", "continue", "streaming"];

// New files up to this size make a short update (the bench's 50,000 new rows are 4.5 MB of Parquet).
export const SHORT_UPDATE_BYTES = 64 * 1024 * 1024;

// `predicate`: the new rows are data.train above a watermark, whose size the listing does not tell.
export function isShortUpdate(mode: string, files: readonly { size: number }[], predicate: boolean): boolean {
  if (predicate || files.length === 0 || !NEW_ROWS_MODES.includes(mode)) return false;
  return files.reduce((sum, f) => sum + f.size, 0) <= SHORT_UPDATE_BYTES;
}

// A train's input up to this size makes a short run: an iterative fit reads its rows many times, so the fast tier's
// slower code catches up sooner than in an update. Measured (docs/updating.md "Costs"): at 8.8 MB a 100-iteration
// logistic regression took the same wall time either way and a 30-tree GBT 0.65x; at 62 MB the regression took 1.48x.
export const SHORT_TRAIN_BYTES = 8 * 1024 * 1024;

// A train (a transfer target's included) reading data.train's listed files, at most SHORT_TRAIN_BYTES in all; an
// unlisted source (a table, a query) is never short.
export function isShortTrain(listing: { ok: true; files: readonly { size: number }[] } | { ok: false }): boolean {
  return listing.ok && listing.files.length > 0 && listing.files.reduce((sum, f) => sum + f.size, 0) <= SHORT_TRAIN_BYTES;
}
