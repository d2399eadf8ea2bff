// Whether a run is a short driver job, which Spark runs faster on the JIT's fast tier without whole-stage code
// generation (compiling costs more than it saves there): a train, or an update in a mode whose cost follows the new
// rows, reading files of known, small total size. docs/updating.md "Costs".

// The modes that read the new rows only (`retrain` and `warm` read the whole history: long runs).
export const NEW_ROWS_MODES: readonly string[] = ["exact", "laplace", "continue", "streaming"];

// Input files up to this size make a short run (the bench's 50,000 new rows are 4.5 MB of Parquet).
export const SHORT_RUN_BYTES = 64 * 1024 * 1024;
export const SHORT_UPDATE_BYTES = SHORT_RUN_BYTES;

// A listing's files are a short run's input: some files, at most SHORT_RUN_BYTES in all.
function smallInput(files: readonly { size: number }[]): boolean {
  return files.length > 0 && files.reduce((sum, f) => sum + f.size, 0) <= SHORT_RUN_BYTES;
}

// `predicate`: the new rows are data.train above a watermark, whose size the listing does not tell.
export function isShortUpdate(mode: string, files: readonly { size: number }[], predicate: boolean): boolean {
  if (predicate || !NEW_ROWS_MODES.includes(mode)) return false;
  return smallInput(files);
}

// A train (or a transfer target's) reading data.train's listed files: even a 60-tree GBT on 10,000 rows took 61 s of
// CPU with the short run's settings against 97 s without; an unlisted source (a table, a query) is never short.
export function isShortTrain(listing: { ok: true; files: readonly { size: number }[] } | { ok: false }): boolean {
  return listing.ok && smallInput(listing.files);
}
