// Loads a portable model from any file reader (local folder, store, cache) and compiles it.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { readTable, type ArrowTable } from "./arrow.js";
import { checkDescriptor } from "./descriptor.js";
import { compileModel, type CompiledModel } from "./compile.js";
import { ModelError } from "./frame.js";

// Reads one file of the portable model, by its path relative to portable/.
export type PortableReader = (relativePath: string) => Promise<Uint8Array>;

// A source_model stage's folder: one plain name and a slash ("source/"), never a path out of portable/.
const SOURCE_FOLDER = /^[A-Za-z0-9_-]+\/$/;

// `embedded`: true while loading a source_model stage's model, which may not embed one itself (one level).
export async function loadPortableModel(read: PortableReader, embedded = false): Promise<CompiledModel> {
  const raw = await read("descriptor.json");
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(raw).toString("utf8"));
  } catch (cause) {
    throw new ModelError(`descriptor.json is not valid JSON: ${(cause as Error).message}`);
  }
  const checked = checkDescriptor(parsed);
  if (!checked.ok) throw new ModelError(`descriptor.json: ${checked.problems.join("; ")}`);
  const tables = new Map<string, ArrowTable>();
  const sources = new Map<string, CompiledModel>();
  for (const stage of checked.descriptor.stages) {
    tables.set(stage.file, stageTable(stage.file, await read(stage.file)));
    if (stage.kind !== "source_model") continue;
    if (embedded) throw new ModelError(`${stage.source}descriptor.json: an embedded source model holds a source_model stage itself; a composite model holds one level of source`);
    if (typeof stage.source !== "string" || !SOURCE_FOLDER.test(stage.source)) throw new ModelError(`source_model: source ${JSON.stringify(stage.source)} is not a folder name like "source/"`);
    if (!sources.has(stage.source)) sources.set(stage.source, await loadEmbedded(read, stage.source));
  }
  return compileModel(checked.descriptor, tables, sources);
}

// The model a source_model stage embeds, its files read under `folder`; its errors name the folder.
async function loadEmbedded(read: PortableReader, folder: string): Promise<CompiledModel> {
  try {
    return await loadPortableModel((rel) => read(folder + rel), true);
  } catch (cause) {
    if (cause instanceof ModelError && !cause.message.startsWith(folder)) throw new ModelError(`${folder}${cause.message}`);
    throw cause;
  }
}

// A stage's Arrow file, checked before it is decoded; a damaged one is named.
function stageTable(file: string, bytes: Uint8Array): ArrowTable {
  try {
    return readTable(bytes);
  } catch (cause) {
    throw new ModelError(`${file} is not a valid Arrow file: ${(cause as Error).message}`);
  }
}

// Reader for a portable/ folder on disk.
export function folderReader(portableDir: string): PortableReader {
  return (rel) => readFile(join(portableDir, rel));
}
