// ${VAR} and ${VAR:-default} interpolation of string scalars from the environment.
import { parseDocument, isScalar } from "yaml";
import type { SpecProblem } from "../errors.js";
import { isSecretName } from "./secrets.js";
import { eachScalar, problemAt, type Node } from "./tree.js";

export type Env = Record<string, string | undefined>;

export interface Interpolation {
  text: string;
  used: { name: string; value: string }[]; // env values that went into text
  problems: string[]; // messages: undefined variables, malformed references
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const WHOLE_REFERENCE = /^\$\{[^}]*\}$/;

// Replaces ${NAME} and ${NAME:-default} in s; `$${` stands for a literal `${`.
// Like the shell, `:-` uses the default when NAME is unset or empty.
export function interpolateString(s: string, env: Env): Interpolation {
  let text = "";
  const used: Interpolation["used"] = [];
  const problems: string[] = [];
  let i = 0;
  while (i < s.length) {
    if (s.startsWith("$${", i)) {
      text += "${";
      i += 3;
    } else if (s.startsWith("${", i)) {
      const end = s.indexOf("}", i + 2);
      if (end < 0) {
        problems.push(`expected a closing } after "\${", got the end of the value (write $\${ for a literal \${)`);
        break;
      }
      const inner = s.slice(i + 2, end);
      const sep = inner.indexOf(":-");
      const name = sep < 0 ? inner : inner.slice(0, sep);
      const fallback = sep < 0 ? undefined : inner.slice(sep + 2);
      const value = env[name];
      if (!NAME.test(name)) {
        problems.push(`expected \${NAME} or \${NAME:-default}, got "\${${inner}}"`);
      } else if (value !== undefined && (value !== "" || fallback === undefined)) {
        text += value;
        used.push({ name, value });
      } else if (fallback !== undefined) {
        text += fallback;
      } else {
        problems.push(`expected environment variable ${name} to be set, got nothing (write \${${name}:-default} to give a default)`);
      }
      i = end + 1;
    } else {
      text += s[i];
      i += 1;
    }
  }
  return { text, used, problems };
}

// Interpolates every string scalar below root in place; returns the problems.
// A plain (unquoted) scalar that is exactly one ${...} is re-read as a YAML scalar, so
// `rows: ${ROWS}` gives a number; its text is kept in `raw` for fields that want a string.
export function interpolateTree(root: Node, env: Env, basePath: (string | number)[] = []): SpecProblem[] {
  const problems: SpecProblem[] = [];
  eachScalar(root, basePath, (node, path) => {
    if (typeof node.value !== "string" || !node.value.includes("${")) return;
    const original = node.value;
    const r = interpolateString(original, env);
    for (const message of r.problems) problems.push(problemAt(node.loc, path, message));
    if (r.problems.length > 0) {
      node.unresolved = true;
      return;
    }
    node.value = r.text;
    const secrets = r.used.filter((u) => isSecretName(u.name) && u.value !== "").map((u) => u.value);
    if (secrets.length > 0) node.secrets = [...(node.secrets ?? []), ...secrets];
    if (node.style === "plain" && !node.tagged && WHOLE_REFERENCE.test(original)) {
      const typed = readScalar(r.text);
      if (typed !== undefined) {
        node.value = typed;
        node.raw = r.text;
      }
    }
  });
  return problems;
}

// The number or boolean a YAML scalar text stands for, else undefined (strings stay strings).
export function readScalar(text: string): number | boolean | undefined {
  if (text.trim() === "") return undefined;
  const doc = parseDocument(text, { prettyErrors: false });
  if (doc.errors.length > 0 || !isScalar(doc.contents)) return undefined;
  const v = doc.contents.value;
  return typeof v === "number" || typeof v === "boolean" ? v : undefined;
}
