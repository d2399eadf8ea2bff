// Offline scoring: a registered version, an input file, an output file; no server, no Spark.
import { loadStoredModel, verifyRegisteredArtifacts } from "../certify/index.js";
import { FatalError, UserError } from "../errors.js";
import { resolveModelRef, type VersionRecord } from "../registry/index.js";
import type { Store } from "../store/types.js";
import { formatOf, FORMATS, OUTPUT_FORMATS, type FileFormat } from "./formats.js";
import type { InputMode } from "../model/input/contract.js";
import { readFrame } from "./read.js";
import { scoreFrame } from "./score.js";
import { writeFrame } from "./write.js";

export interface PredictInput {
  ref: string;
  input: string;
  output: string;
  inputFormat?: string;
  outputFormat?: string;
  onInvalid: "fail" | "skip";
  mode?: InputMode; // the input contract: lenient (default) or strict
}

export interface PredictResult {
  model: string;
  version: number;
  rows: number;
  written: number;
  skipped: { row: number; message: string }[];
  unseen: Record<string, number>; // categorical values the model never saw, per input (scored as handleInvalid says)
  output: string;
  outputFormat: FileFormat;
  seconds: number;
}

function chooseFormat(path: string, flag: string | undefined, which: string): FileFormat {
  const f = formatOf(path, flag);
  const allowed = which === "output" ? OUTPUT_FORMATS : FORMATS;
  if (f && !allowed.includes(f)) throw new UserError(`${path}: ${f} is an input format only; write ${OUTPUT_FORMATS.join(", ")}`, "E_USAGE");
  if (!f) throw new UserError(`cannot tell the ${which} format of ${path}: use --${which}-format ${allowed.join("|")} or an extension (.arrow, .arrows, .csv, .jsonl${which === "input" ? ", .parquet" : ""})`, "E_USAGE");
  return f;
}

export async function predictFile(store: Store, opts: PredictInput): Promise<PredictResult> {
  const started = performance.now();
  const inFormat = chooseFormat(opts.input, opts.inputFormat, "input");
  const outFormat = chooseFormat(opts.output, opts.outputFormat, "output");
  const record = await resolveModelRef(store, opts.ref);
  if (!record) throw new UserError(`no model version matches "${opts.ref}" in ${store.location} (see: mlship models list)`, "E_NOT_FOUND");
  const model = await loadVerified(store, record);
  const frame = await readFrame(opts.input, inFormat);
  const missing = model.inputSchema.filter((c) => !frame.names.includes(c.name)).map((c) => c.name);
  if (missing.length) throw new UserError(`${opts.input} lacks the model's input column${missing.length > 1 ? "s" : ""} ${missing.join(", ")}`, "E_INPUT");
  const scored = scoreFrame(model, frame, opts.onInvalid, opts.mode ?? "lenient", inFormat);
  if (scored.invalid.length && opts.onInvalid === "fail") {
    throw new FatalError(`${scored.invalid.length >= 10 ? "at least 10" : scored.invalid.length} row(s) of ${opts.input} cannot be scored; nothing written (use --on-invalid skip to leave them out)`, "E_ROWS", {
      details: scored.invalid.map((p) => `row ${p.row}: ${p.message}`),
    });
  }
  await writeFrame(opts.output, outFormat, scored.frame);
  return {
    model: record.model,
    version: record.version,
    rows: frame.rows,
    written: scored.frame.rows,
    skipped: scored.invalid,
    unseen: scored.unseen,
    output: opts.output,
    outputFormat: outFormat,
    seconds: (performance.now() - started) / 1000,
  };
}

// Loads a version only after its artifacts pass the checksums it was registered with.
async function loadVerified(store: Store, record: VersionRecord) {
  const verified = await verifyRegisteredArtifacts(store, record); // pulled once into the local cache, then read from there
  if (!verified.ok) throw new FatalError(`${record.model}@${record.version}: artifacts failed verification`, "E_ARTIFACTS", { details: verified.problems });
  return loadStoredModel(store, record.artifacts.prefix, verified.artifacts);
}
