// Loads a portable model from any file reader (local folder, store, cache) and compiles it.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { readTable, type ArrowTable } from "./arrow.js";
import { checkDescriptor } from "./descriptor.js";
import { compileModel, type CompiledModel } from "./compile.js";
import { ModelError } from "./frame.js";

// Reads one file of the portable model, by its path relative to portable/.
export type PortableReader = (relativePath: string) => Promise<Uint8Array>;

export async function loadPortableModel(read: PortableReader): Promise<CompiledModel> {
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
  for (const stage of checked.descriptor.stages) tables.set(stage.file, stageTable(stage.file, await read(stage.file)));
  return compileModel(checked.descriptor, tables);
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
