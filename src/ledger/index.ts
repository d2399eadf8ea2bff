// The input ledger: which files a version consumed, what is new since, and what changed (docs/updating.md).
export type { InputFile, DataSource } from "./types.js";
export { dataSource, globRegExp, sparkReadsFile, sparkSkips, splitGlob } from "./source.js";
export { compareRunListings, compareWithDriver, consumedSet, diffListing, normaliseDriverPath, overlapRefusal, repeatedFiles, sortedByPath, type ChangedFile } from "./ledger.js";
export { listInputFiles, type Listing } from "./list.js";
export { consumedSummary, INLINE_INPUT_FILES, INPUT_FILES_ARTIFACT, ledgerFields, lineageChain, loadConsumedFiles } from "./lineage.js";
export { DRIVER_REPORT, readDriverReport, type DriverReport } from "./report.js";
