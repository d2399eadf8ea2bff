// Run records and their place in the store.
export * from "./record.js";
export * from "./git.js";
