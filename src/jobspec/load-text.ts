// The loading pipeline over spec text, sync: the zod schema is imported with it (loadSpec, in load.ts, loads zod
// only when a spec needs it, which is what keeps it off the start-up path of `plan` and `validate`).
import { loadText, sha256Hex, type LoadedSpec, type LoadOptions } from "./load.js";
import { specSchemas } from "./schema-define.js";

// The pure pipeline over spec text (what loadSpec does once it has the text); throws SpecError listing every problem.
export function loadSpecText(opts: LoadOptions & { text: string }): LoadedSpec {
  return loadText(opts, sha256Hex(opts.text), specSchemas);
}
