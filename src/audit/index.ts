// Checking a whole store: registry records, version artifacts, run records (mlship store check).
export { checkStore } from "./check.js";
export type { ProblemKind, StoreProblem, StoreReport } from "./report.js";
