// Launching spark-submit and reading its output.
export { launch, type LaunchInput, type LaunchResult } from "./run.js";
export { FailureSummary, applicationIdIn } from "./summary.js";
export { driverFailure, parseDriverErrorLine, type DriverErrorLine, type DriverFailure } from "./driver-error.js";
export { EVENT_PREFIX, parseDriverEvent, type DriverEvent, type StageProgress } from "./driver-event.js";
export { cleanConsoleLine } from "./console-debris.js";
export { causeHint, classifyAttempt, CAUSES, type Cause, type CauseHint, type Classified, type AttemptOutcome } from "./cause.js";
