// Store records: one schema per kind (schemas.ts) and the one way they are read and written (decode.ts).
export * from "./schemas.js";
export * from "./decode.js";
