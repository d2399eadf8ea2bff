// zod issues -> located problems that read "expected <what>, got <what was found>".
import type { z } from "zod";
import type { SpecProblem } from "../errors.js";
import { describeNode, describeType } from "./describe.js";
import { objectKeys, schemaAt } from "./schema-walk.js";
import { didYouMean } from "./suggest.js";
import { isSecret, keyLocAt, locAt, nodeAt, problemAt, type Node, type PathSeg } from "./tree.js";

type Issue = z.core.$ZodIssue;

// One problem per issue (one per key for unknown keys), located in the tree.
export function issueProblems(issue: Issue, root: Node, schema: z.ZodType): SpecProblem[] {
  const path = issue.path.filter((s): s is PathSeg => typeof s !== "symbol");
  if (issue.code === "unrecognized_keys") {
    // `profiles` is a top-level key too, removed before validation
    const allowed = [...objectKeys(schemaAt(schema, path)), ...(path.length === 0 ? ["profiles"] : [])];
    return issue.keys.map((key) => {
      const keyPath = [...path, key];
      const hint = didYouMean(key, allowed) || (allowed.length > 0 ? ` (allowed: ${allowed.join(", ")})` : "");
      return problemAt(keyLocAt(root, keyPath) ?? locAt(root, path), keyPath, `unknown field "${key}"${hint}`);
    });
  }
  const node = nodeAt(root, path);
  if (node?.kind === "scalar" && node.unresolved) return [];
  return [problemAt(locAt(root, path), path, message(issue, node))];
}

// The message for one issue, given the node that produced the value (if any).
function message(issue: Issue, node: Node | undefined): string {
  const got = describeNode(node);
  const missing = node === undefined;
  switch (issue.code) {
    case "invalid_type": {
      if (missing) return `expected ${describeType(issue.expected)}, got nothing (the field is required)`;
      const quoteHint = issue.expected === "string" && node.kind === "scalar" && !isSecret(node) && node.value !== null && typeof node.value !== "string"
        ? ` (quote it to make it a string: "${String(node.value)}")` : "";
      return `expected ${describeType(issue.expected)}, got ${got}${quoteHint}`;
    }
    case "invalid_value": {
      const options = issue.values.map((v) => JSON.stringify(v));
      const word = node?.kind === "scalar" && typeof node.value === "string" ? node.value : "";
      const hint = word ? didYouMean(word, issue.values.map(String)) : "";
      return `expected one of ${options.join(", ")}, got ${got}${hint}`;
    }
    case "invalid_format": {
      // our schema gives regexes a message that names the expected form; zod's default starts "Invalid"
      const what = /^Invalid/.test(issue.message) ? `a string matching ${issue.pattern ?? issue.format}` : issue.message;
      return `expected ${what}, got ${got}`;
    }
    case "too_small":
      return `expected ${bound(issue.origin, issue.minimum, issue.inclusive, "min")}, got ${got}`;
    case "too_big":
      return `expected ${bound(issue.origin, issue.maximum, issue.inclusive, "max")}, got ${got}`;
    case "invalid_union": {
      const types = [...new Set(issue.errors.flatMap((errs) => errs.filter((e) => e.code === "invalid_type").map((e) => (e as { expected: string }).expected)))];
      if (types.length > 0) return `expected a ${orList(types)}, got ${got}`;
      return `expected a valid value, got ${got}`;
    }
    case "custom":
      // a refinement whose message names the expected form (refinements.ts durationIssues) reads like the rest
      if (issue.message.startsWith("expected ")) return `${issue.message}, got ${got}`;
      return `expected a valid value, got ${got} (${issue.message})`;
    default:
      return `expected a valid value, got ${got} (${issue.message})`;
  }
}

// "a number >= 200", "a non-empty string", "at least 1 item", ...
function bound(origin: string, limit: number | bigint, inclusive: boolean | undefined, side: "min" | "max"): string {
  const n = Number(limit);
  if (origin === "string") {
    if (side === "min" && n === 1) return "a non-empty string";
    return `a string of ${side === "min" ? "at least" : "at most"} ${n} characters`;
  }
  if (origin === "array" || origin === "set") return `a list of ${side === "min" ? "at least" : "at most"} ${n} items`;
  const op = side === "min" ? (inclusive ? ">=" : ">") : inclusive ? "<=" : "<";
  return `a number ${op} ${n}`;
}

// "a, b or c"
function orList(words: string[]): string {
  if (words.length <= 1) return words.join("");
  return `${words.slice(0, -1).join(", ")} or ${words[words.length - 1]}`;
}
