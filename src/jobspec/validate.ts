// Validates the merged tree against the job spec schema and the cross-field checks; all problems at once.
import type { SpecProblem } from "../errors.js";
import { checkSpec } from "./checks.js";
import { issueProblems } from "./issues.js";
import type { JobSpec } from "./schema.js";
import type { SchemaSource } from "./load.js";
import { JOB_SPEC_SHAPE } from "./shape.generated.js";
import { parseByShape } from "./shape-parse.js";
import { nodeAt, toPlain, type MapNode } from "./tree.js";

export type Validated = { ok: true; spec: JobSpec } | { ok: false; problems: SpecProblem[] };

// Checks, then the schema. A spec the precompiled check accepts is done (the same value zod would give); any other
// goes through zod (from `schemas`, called only then), whose issues become the problems. A value that was typed by re-reading (whole-scalar ${VAR},
// --set) goes back to its text where the schema wants a string, so `name: ${JOB}` with JOB=123 is the name "123".
export function validateTree(root: MapNode, schemas: SchemaSource): Validated {
  const problems = checkSpec(root);
  if (problems.length === 0) {
    const quick = parseByShape(JOB_SPEC_SHAPE, toPlain(root));
    if (quick.ok) return { ok: true, spec: quick.value as JobSpec };
  }
  const { jobSpecSchema } = schemas();
  let result = jobSpecSchema.safeParse(toPlain(root));
  for (let round = 0; !result.success && round < 3; round++) {
    let reverted = false;
    for (const issue of result.error.issues) {
      if (issue.code !== "invalid_type" || issue.expected !== "string") continue;
      const node = nodeAt(root, issue.path.filter((s) => typeof s !== "symbol") as (string | number)[]);
      if (node?.kind === "scalar" && node.raw !== undefined && typeof node.value !== "string") {
        node.value = node.raw;
        reverted = true;
      }
    }
    if (!reverted) break;
    result = jobSpecSchema.safeParse(toPlain(root));
  }
  if (!result.success) {
    for (const issue of result.error.issues) problems.push(...issueProblems(issue, root, jobSpecSchema));
  }
  if (problems.length > 0 || !result.success) return { ok: false, problems };
  return { ok: true, spec: result.data };
}
