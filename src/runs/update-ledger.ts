// The update run's side of the ledger: the child consumed exactly the new files the plan found, unchanged.
import { compareRunListings, compareWithDriver, ledgerFields, readDriverReport, type InputFile, type Listing } from "../ledger/index.js";
import type { Store } from "../store/types.js";
import { some, type LedgerOutcome } from "./input-ledger.js";

// What the update read: the plan's new files, or (a partitioned source) data.train's rows above the watermark.
export interface UpdateInputs {
  files: readonly InputFile[]; // the new files as listed before launch (the candidates, with a predicate)
  predicate: boolean;
  consumed: ReadonlySet<string>; // every path the parent's chain consumed
  relist: () => Promise<Listing>; // lists the new data's source again (data.new, or data.train)
}


// After a successful Spark run: the new files must be unchanged and be what the driver read; with a predicate,
// the child consumed the listed files the driver read that no version of the chain had consumed.
export async function settleUpdateLedger(input: { store: Store; runPrefix: string; update: UpdateInputs }): Promise<LedgerOutcome> {
  const { store, update } = input;
  const driver = await readDriverReport(store, input.runPrefix);
  if (!driver.ok) return { ok: false, message: `${driver.reason}; the ledger cannot record what the update consumed`, details: [] };
  const watermark = driver.report.watermark ? { watermark: driver.report.watermark } : {};
  const after = await update.relist();
  if (!after.ok) return { ok: false, message: `the new data could not be listed again after the run: ${after.reason}`, details: [] };
  let files: InputFile[];
  if (update.predicate) {
    const read = new Set(driver.report.files);
    files = after.files.filter((f) => read.has(f.path) && !update.consumed.has(f.path));
  } else {
    const wanted = new Set(update.files.map((f) => f.path));
    const moved = compareRunListings(update.files, after.files.filter((f) => wanted.has(f.path)));
    if (moved.removed.length || moved.changed.length) {
      return {
        ok: false,
        message: "the new input files changed while Spark was reading them; what the model learned from is unknown",
        details: [...some(moved.removed).map((p) => `removed: ${p}`), ...some(moved.changed.map((c) => c.path)).map((p) => `rewritten: ${p}`)],
      };
    }
    const { unlisted, unread } = compareWithDriver(update.files, driver.report.files);
    if (unlisted.length || unread.length) {
      return {
        ok: false,
        message: "Spark read a different set of files than the update planned; the ledger would be wrong",
        details: [...some(unlisted).map((p) => `read but not planned: ${p}`), ...some(unread).map((p) => `planned but not read: ${p}`)],
      };
    }
    files = [...update.files];
  }
  const { fields, artifact } = ledgerFields(files, input.runPrefix);
  if (artifact) await store.put(artifact.key, artifact.body);
  return { ok: true, lineage: { ...fields, ...watermark }, warnings: [] };
}
