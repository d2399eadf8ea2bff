// Cluster-mode drivers: who they are, what their states mean, and the commands that ask about or kill them.
export { mergeFacts, remoteId, remoteOutcome, type RemoteDriver, type RemoteManager } from "./driver.js";
export { killCommand, parseStatus, sparkClass, statusCommand, type RemoteCommand, type Tools } from "./commands.js";
export { findOnPath, runRemoteCommand, type CommandResult } from "./control.js";
