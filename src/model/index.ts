// The portable model: descriptor, compiled scorer, loading.
export { compileModel, readRecord, RecordError, type CompiledModel, type ScoreResult, type BatchResult } from "./compile.js";
export { loadPortableModel, folderReader, type PortableReader } from "./load.js";
export { checkDescriptor, type Descriptor, type InputColumn, type Task } from "./descriptor.js";
export { ModelError, RowError, type Value } from "./frame.js";
