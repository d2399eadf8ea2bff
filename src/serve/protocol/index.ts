// Protocol layer: the request formats (OIP v2 tensors, JSON records, Arrow IPC bodies with their casts and columns), per-request input handling (?on_invalid=, unseen values) and the errors a request is refused with. Imports runtime/ and src/model, never http/.
export { predictArrow, ARROW_STREAM } from "./arrow.js";
export { predictRecords } from "./records.js";
export { infer, modelMetadata } from "./oip.js";
export { CODES, HttpError } from "./errors.js";
