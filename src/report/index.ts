// The version report (docs/report.md): its data from the store, and the page drawn from it.
export * from "./data.js";
export * from "./evaluation.js";
export * from "./page.js";
export * from "./run-report.js";
