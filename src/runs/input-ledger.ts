// The train run's side of the ledger: list the input files before launch, check them after, and build the lineage.
import { compareRunListings, compareWithDriver, ledgerFields, listInputFiles, readDriverReport, type InputFile, type Listing } from "../ledger/index.js";
import type { Lineage } from "../registry/records.js";
import type { Store } from "../store/types.js";

type LedgerLineage = Pick<Lineage, "inputFiles" | "inputFilesRef" | "watermark">;

export type LedgerOutcome =
  | { ok: true; lineage: LedgerLineage; warnings: string[] }
  | { ok: false; message: string; details: string[] };

const SHOWN = 5;
// The first few paths, then a count of the rest: how a ledger refusal names files (also src/runs/update-ledger.ts).
export const some = (paths: string[]) => [...paths.slice(0, SHOWN), ...(paths.length > SHOWN ? [`… and ${paths.length - SHOWN} more`] : [])];

// After a successful Spark run: the driver's report must name the files listed before launch, and a second listing
// must find them unchanged; then the lineage records them (and the watermark the driver computed).
export async function settleInputLedger(input: {
  store: Store;
  env: Record<string, string | undefined>;
  train: string;
  runPrefix: string;
  before: Listing;
}): Promise<LedgerOutcome> {
  const { store, before } = input;
  const warnings: string[] = [];
  const driver = await readDriverReport(store, input.runPrefix);
  const watermark = driver.ok && driver.report.watermark ? { watermark: driver.report.watermark } : {};
  if (!before.ok) return { ok: true, lineage: watermark, warnings: [`the input files were not recorded: ${before.reason}`] };

  const after = await listInputFiles(input.train, input.env);
  if (!after.ok) return { ok: false, message: `the input files could not be listed again after the run: ${after.reason}`, details: [] };
  const moved = compareRunListings(before.files, after.files);
  if (moved.added.length || moved.removed.length || moved.changed.length) {
    return {
      ok: false,
      message: "the input files changed while Spark was reading them; what the model learned from is unknown",
      details: [...some(moved.added).map((p) => `added: ${p}`), ...some(moved.removed).map((p) => `removed: ${p}`), ...some(moved.changed.map((c) => c.path)).map((p) => `rewritten: ${p}`)],
    };
  }
  if (!driver.ok) warnings.push(`${driver.reason}; the ledger records the files listed before launch`);
  else {
    const { unlisted, unread } = compareWithDriver(before.files, driver.report.files);
    if (unlisted.length || unread.length) {
      return {
        ok: false,
        message: "Spark read a different set of files than mlship listed for data.train; the ledger would be wrong",
        details: [...some(unlisted).map((p) => `read but not listed: ${p}`), ...some(unread).map((p) => `listed but not read: ${p}`)],
      };
    }
  }
  const { fields, artifact } = ledgerFields(before.files as InputFile[], input.runPrefix);
  if (artifact) await store.put(artifact.key, artifact.body);
  return { ok: true, lineage: { ...fields, ...watermark }, warnings };
}
