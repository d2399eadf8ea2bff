// Runtime layer: which models are served and how the process runs: the catalogue of served versions, load and certify, watch and hot-swap, cluster workers, serve options, metrics counters and logs. Imports src/model, registry, store and certify, never protocol/ or http/.
export { Catalogue, resolveSlots, type Slot } from "./catalogue.js";
export { createLogger, type Logger } from "./log.js";
export { parseServeOptions, type RawServeOptions } from "./options.js";
export { runPrimary, workerLink, workerNumber } from "./cluster.js";
export { servedVersion, type ServedVersion } from "./served.js";
