// Writes a file a command was told to write (-o and the like): a path that cannot be written is a usage error naming it.
import { writeFile } from "node:fs/promises";
import { UserError } from "../errors.js";

export async function writeOutputFile(path: string, content: string, mode?: number): Promise<void> {
  await writeFile(path, content, mode === undefined ? undefined : { mode }).catch((e: NodeJS.ErrnoException) => {
    throw new UserError(`cannot write ${path}: ${e.code === "ENOENT" ? "its folder does not exist" : (e.code ?? e.message)}`, "E_USAGE");
  });
}
