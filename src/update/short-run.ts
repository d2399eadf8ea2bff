// Whether an update is a short driver job, which Spark runs faster on the JIT's fast tier without whole-stage code
// generation (compiling costs more than it saves there): a mode whose cost follows the new rows, reading new files of
// known, small total size. docs/updating.md "Costs".

// The modes that read the new rows only (`retrain` and `warm` read the whole history: long runs).
export const NEW_ROWS_MODES: readonly string[] = ["exact", "laplace", "continue", "streaming"];

// New files up to this size make a short run (the bench's 50,000 new rows are 4.5 MB of Parquet).
export const SHORT_UPDATE_BYTES = 64 * 1024 * 1024;

// `predicate`: the new rows are data.train above a watermark, whose size the listing does not tell.
export function isShortUpdate(mode: string, files: readonly { size: number }[], predicate: boolean): boolean {
  if (predicate || files.length === 0 || !NEW_ROWS_MODES.includes(mode)) return false;
  return files.reduce((sum, f) => sum + f.size, 0) <= SHORT_UPDATE_BYTES;
}
