// The update planner: from a parent's chain and today's listings, what `mlship update` would train on (pure).
import { consumedSet, diffListing, overlapRefusal, repeatedFiles } from "../ledger/index.js";
import type { InputFile, Listing } from "../ledger/index.js";
import type { Watermark } from "../registry/records.js";
import { updateKey } from "./key.js";
import { aboveWatermark, chainWatermark, partitionValue } from "./partition.js";

// One version of the parent's chain as the ledger recorded it; `files` null when it has no ledger (or it was unread).
export interface ChainVersion {
  version: number;
  files: readonly InputFile[] | null;
  watermark?: Watermark;
}

export interface PlanInput {
  model: string;
  chain: readonly ChainVersion[]; // oldest first; the parent is the last
  listed: Listing; // data.train, listed as `train` lists it
  explicitNew?: Listing; // data.new, when the spec sets it
  partitionColumn?: string;
  specSha256: string;
}

export type Predicate = { column: string; value: Watermark["value"] };

export type UpdatePlan =
  | { kind: "nothing-new"; parent: string; message: string }
  // files: the new files; predicate: the rows to read from data.train for a partitioned source (then `files` are
  // the candidates, and listingTells says whether the listing alone proved they hold rows above the watermark).
  | { kind: "new"; parent: string; files: InputFile[]; predicate: Predicate | null; listingTells: boolean; key: string }
  | { kind: "overlap"; parent: string; message: string; details: string[] }
  | { kind: "refused"; parent: string; message: string };

// Decides what is new since the chain's last version: explicit data.new files, a partition watermark, or the files
// of data.train no version of the chain consumed; refuses data that would be counted twice or cannot be told apart.
export function planUpdate(input: PlanInput): UpdatePlan {
  const last = input.chain.at(-1);
  if (!last) throw new Error("planUpdate: the chain is empty");
  const parent = `${input.model}@${last.version}`;
  const noLedger = input.chain.find((v) => v.files === null);
  const consumed = noLedger ? null : consumedSet(input.chain.map((v) => v.files!));
  const changedOverlap = (): UpdatePlan | null => {
    if (!consumed || !input.listed.ok) return null;
    const refusal = overlapRefusal(diffListing(input.listed.files, consumed).changed);
    return refusal && { kind: "overlap", parent, ...refusal };
  };
  const found = (files: InputFile[], predicate: Predicate | null, listingTells: boolean): UpdatePlan => ({
    kind: "new",
    parent,
    files,
    predicate,
    listingTells,
    key: updateKey({ model: input.model, parentVersion: last.version, files, predicate, specSha256: input.specSha256 }),
  });
  const nothing: UpdatePlan = { kind: "nothing-new", parent, message: `nothing new since ${parent}` };

  if (input.explicitNew) {
    if (!input.explicitNew.ok) return { kind: "refused", parent, message: `data.new: ${input.explicitNew.reason}` };
    if (!consumed) return refusedNoLedger(input.model, parent, noLedger!.version);
    const seen = input.explicitNew.files.filter((f) => consumed.has(f.path));
    if (seen.length) return explicitOverlap(input, parent, seen);
    const changed = changedOverlap();
    if (changed) return changed;
    const repeated = repeatRefusal(input.explicitNew.files, consumed, input.listed.ok ? input.listed.files : [], parent);
    if (repeated) return repeated;
    return input.explicitNew.files.length ? found([...input.explicitNew.files], null, true) : nothing;
  }

  if (input.partitionColumn) return byWatermark(input, input.partitionColumn, parent, consumed, changedOverlap, found, nothing);

  if (!input.listed.ok) return { kind: "refused", parent, message: `data.train: ${input.listed.reason}; name the new data with data.new, or set data.partitionColumn` };
  if (!consumed) return refusedNoLedger(input.model, parent, noLedger!.version);
  const { fresh, changed } = diffListing(input.listed.files, consumed);
  const refusal = overlapRefusal(changed);
  if (refusal) return { kind: "overlap", parent, ...refusal };
  const repeated = repeatRefusal(fresh, consumed, input.listed.files, parent);
  if (repeated) return repeated;
  return fresh.length ? found(fresh, null, true) : nothing;
}

// A partitioned source: rows above the chain's watermark. The listing settles it when every new file sits in a
// `column=value` folder it can compare; a new file at or below the watermark (late data) is refused, as its rows
// would be skipped.
function byWatermark(
  input: PlanInput,
  column: string,
  parent: string,
  consumed: ReadonlyMap<string, InputFile> | null,
  changedOverlap: () => UpdatePlan | null,
  found: (files: InputFile[], predicate: Predicate | null, listingTells: boolean) => UpdatePlan,
  nothing: UpdatePlan,
): UpdatePlan {
  const mark = chainWatermark(input.chain.map((v) => v.watermark));
  if (!mark) {
    return { kind: "refused", parent, message: `${parent} recorded no watermark of data.partitionColumn "${column}" (it was trained before the ledger or without data.partitionColumn); name the new data with data.new` };
  }
  if (mark.column !== column) {
    return { kind: "refused", parent, message: `data.partitionColumn is "${column}" but ${parent}'s watermark is of "${mark.column}"; the watermark cannot carry over to another column` };
  }
  const predicate: Predicate = { column, value: mark.value };
  if (!input.listed.ok || !consumed) return found([], predicate, false); // only Spark can tell
  const changed = changedOverlap();
  if (changed) return changed;
  const { fresh } = diffListing(input.listed.files, consumed);
  if (!fresh.length) return nothing; // no new or rewritten file: no row above the watermark can have appeared
  const verdicts = fresh.map((f) => {
    const value = partitionValue(f.path, column);
    return { file: f, above: value === null ? null : aboveWatermark(value, mark.value) };
  });
  if (verdicts.some((v) => v.above === null)) return found(fresh, predicate, false);
  const late = verdicts.filter((v) => v.above === false);
  if (late.length) {
    return {
      kind: "overlap",
      parent,
      message: `${late.length} new input file${late.length === 1 ? " is" : "s are"} in partitions at or below ${parent}'s watermark ${column} = ${mark.value}; ` +
        "reading rows above the watermark would skip them: name them with data.new, or retrain",
      details: late.slice(0, 5).map((v) => v.file.path).concat(late.length > 5 ? [`… and ${late.length - 5} more`] : []),
    };
  }
  return found(fresh, predicate, true);
}

// New files that repeat consumed ones (moved, or an S3 copy): refused as overlap, each named with what it repeats.
function repeatRefusal(fresh: readonly InputFile[], consumed: ReadonlyMap<string, InputFile>, listed: readonly InputFile[], parent: string): UpdatePlan | null {
  const repeats = repeatedFiles(fresh, consumed, new Set(listed.map((f) => f.path)));
  if (!repeats.length) return null;
  const details = repeats.slice(0, 5).map((r) => `${r.path}: the same size and ${r.path.startsWith("s3://") ? "ETag" : "modification time"} as consumed ${r.repeats}`);
  if (repeats.length > 5) details.push(`… and ${repeats.length - 5} more`);
  return {
    kind: "overlap",
    parent,
    message: `${repeats.length} new file${repeats.length === 1 ? " is" : "s are"} a consumed file under another name (moved or copied); ` +
      "their rows would be counted twice: leave consumed files where they are, and write new data to new files",
    details,
  };
}

// data.new names files a version of the chain already consumed: each is named with the version that read it.
function explicitOverlap(input: PlanInput, parent: string, seen: readonly InputFile[]): UpdatePlan {
  const by = new Map<string, number>();
  for (const v of input.chain) for (const f of v.files ?? []) if (!by.has(f.path)) by.set(f.path, v.version);
  const details = seen.slice(0, 5).map((f) => `${f.path}: consumed by ${input.model}@${by.get(f.path)}`);
  if (seen.length > 5) details.push(`… and ${seen.length - 5} more`);
  return {
    kind: "overlap",
    parent,
    message: `data.new names ${seen.length} file${seen.length === 1 ? "" : "s"} that ${parent}'s chain already consumed; their rows would be counted twice`,
    details,
  };
}

const refusedNoLedger = (model: string, parent: string, version: number): UpdatePlan => ({
  kind: "refused",
  parent,
  message: `${model}@${version} has no input ledger (it was registered before mlship recorded input files), so what is new cannot be told; train a new version with \`mlship train\``,
});
