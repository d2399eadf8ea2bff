// Live progress of a run: the state folded from the driver's events, its one-line text, when to print it.
export { applyInput, cliPhaseOf, etaSeconds, initialState, type ProgressInput, type ProgressState } from "./state.js";
export { clock, duration, fitWidth, shortStageName, stamped, statusText } from "./format.js";
export { decide, initialThrottle, stateKey, type Throttle } from "./throttle.js";
export { DEFAULT_PROGRESS_SECONDS, PROGRESS_ENV, progressSeconds } from "./settings.js";
export { eventLine, type ProgressEvent } from "./events.js";
