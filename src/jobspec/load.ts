// The loading pipeline: YAML -> interpolate -> profile -> --set -> validate, all problems at once. The zod schema
// loads only when a spec needs it (problems to explain, --set paths to check): see loadSpec; loadSpecText is load-text.ts.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { type SpecProblem, SpecError } from "../errors.js";
import { interpolateTree, type Env } from "./interpolate.js";
import { applySets } from "./overrides.js";
import { mergeNodes, splitProfiles } from "./profiles.js";
import type { JobSpec } from "./schema.js";
import type { specSchemas } from "./schema-define.js";
import { collectSecrets } from "./secrets.js";
import { describeNode } from "./describe.js";
import { locateDotted } from "./locate.js";
import { type Loc, type MapNode } from "./tree.js";
import { validateTree } from "./validate.js";
import { parseYaml } from "./yaml-parse.js";

export interface LoadOptions {
  file: string; // shown in problems as given (e.g. jobs/churn.yaml)
  path?: string; // where to read it from when that differs from `file` (e.g. resolved against a cwd)
  text?: string; // the spec text; read from file when absent
  env: Env;
  profile?: string;
  sets?: string[]; // --set path=value, applied in order
  beforeZod?: () => Promise<void>; // runs once before loadSpec first loads zod (the CLI switches zod's JIT off)
}

// Where the pipeline gets the zod schema from.
export type SchemaSource = typeof specSchemas;

export interface LoadedSpec {
  spec: JobSpec;
  file: string;
  sha256: string; // of the raw file text
  secrets: string[]; // secret values found in the spec, longest first, for redaction
  profile?: string;
  sets?: string[]; // the --set overrides applied, as given (a version's lineage keeps them, redacted)
  locate: (path: string) => Loc; // where a dotted field path (as plan problems name it) was written
}

// Reads the spec file (unless text is given) and loads it; throws SpecError listing every problem. A spec that
// needs no zod is loaded without it; any other is loaded again from the start once zod is (the pipeline is pure).
export async function loadSpec(opts: LoadOptions & { text?: string }): Promise<LoadedSpec> {
  let bytes: Buffer | string;
  if (opts.text !== undefined) bytes = opts.text;
  else {
    try {
      // Sync: one small file, and node:fs/promises would cost every command that loads a spec ~2 ms to load.
      bytes = readFileSync(opts.path ?? opts.file);
    } catch (err) {
      throw new SpecError([{ file: opts.file, line: 0, col: 0, path: "", message: `cannot read the spec file: ${readReason(err)}` }]);
    }
  }
  const textOpts = { ...opts, text: typeof bytes === "string" ? bytes : bytes.toString("utf8") };
  const sha256 = sha256Hex(bytes);
  try {
    return loadText(textOpts, sha256, zodNotLoaded);
  } catch (err) {
    if (err !== NEEDS_ZOD) throw err;
  }
  await opts.beforeZod?.();
  const { specSchemas } = await import("./schema-define.js");
  return loadText(textOpts, sha256, specSchemas);
}

const NEEDS_ZOD = Symbol("needs zod");
const zodNotLoaded: SchemaSource = () => {
  throw NEEDS_ZOD;
};

export function sha256Hex(data: string | Buffer): string {
  return createHash("sha256").update(data).digest("hex");
}

// The pure pipeline over spec text, with the zod schema from `schemas` (called only when the spec needs it).
export function loadText(opts: LoadOptions & { text: string }, sha256: string, schemas: SchemaSource): LoadedSpec {
  const { file, text, env, profile } = opts;
  const parsed = parseYaml(text, file);
  if (!parsed.root) {
    const empty = parsed.problems.length === 0;
    fail(empty ? [{ file, line: 1, col: 1, path: "", message: "expected a job spec (a map of fields), got an empty document" }] : parsed.problems);
  }
  const root = parsed.root;
  if (root.kind !== "map") {
    fail([...parsed.problems, { ...root.loc, path: "", message: `expected a map of fields at the top level, got ${describeNode(root)}` }]);
  }
  const problems: SpecProblem[] = [...parsed.problems];

  const split = splitProfiles(root, profile);
  problems.push(...split.problems);
  problems.push(...interpolateTree(split.base, env));
  if (split.overlay && profile !== undefined) problems.push(...interpolateTree(split.overlay, env, ["profiles", profile]));
  const merged = (split.overlay ? mergeNodes(split.base, split.overlay) : split.base) as MapNode;
  // --set paths are checked against the schema, so it is built only when there are some.
  const sets = opts.sets ?? [];
  if (sets.length > 0) problems.push(...applySets(merged, sets, schemas().jobSpecSchema));

  const validated = validateTree(merged, schemas);
  if (!validated.ok) problems.push(...validated.problems);
  if (problems.length > 0 || !validated.ok) fail(problems);

  return {
    spec: validated.spec,
    file,
    sha256,
    secrets: collectSecrets(merged),
    locate: (path) => locateDotted(merged, path),
    ...(profile !== undefined ? { profile } : {}),
    ...(sets.length > 0 ? { sets: [...sets] } : {}),
  };
}

// Problems in file order (line 0, e.g. --set, last), without duplicates.
export function sortProblems(problems: SpecProblem[]): SpecProblem[] {
  const seen = new Set<string>();
  const unique = problems.filter((p) => {
    const key = `${p.file}\0${p.line}\0${p.col}\0${p.path}\0${p.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  const rank = (p: SpecProblem): number => (p.line > 0 ? p.line : Number.POSITIVE_INFINITY);
  return unique
    .map((p, i) => ({ p, i }))
    .sort((a, b) => rank(a.p) - rank(b.p) || (a.p.line > 0 ? a.p.col - b.p.col : 0) || a.i - b.i)
    .map(({ p }) => p);
}

function fail(problems: SpecProblem[]): never {
  throw new SpecError(sortProblems(problems));
}

function readReason(err: unknown): string {
  const code = (err as { code?: string }).code;
  if (code === "ENOENT") return "no such file";
  if (code === "EISDIR") return "it is a directory";
  if (code === "EACCES") return "permission denied";
  return err instanceof Error ? err.message : String(err);
}
