// YAML text -> located value tree, with syntax errors as problems (yaml Document API + LineCounter).
import { LineCounter, parseDocument } from "yaml";
import type { SpecProblem } from "../errors.js";
import type { Loc, Node } from "./tree.js";
import { convertDocument, secretTag } from "./yaml-convert.js";

export interface Parsed {
  root?: Node; // absent when the text has syntax errors or no document
  problems: SpecProblem[];
}

// Parses one YAML document into a located tree; positions come from the LineCounter.
export function parseYaml(text: string, file: string): Parsed {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, {
    lineCounter,
    prettyErrors: false,
    customTags: [secretTag],
    uniqueKeys: true,
  });
  const locate = (offset: number): Loc => ({ file, ...lineCounter.linePos(offset) });
  // After the first syntax error the parser's later errors are mostly echoes of it; duplicate
  // keys are the exception (independent of each other), so those are all kept.
  const errors = doc.errors.filter((e, i) => i === 0 || e.code === "DUPLICATE_KEY");
  const problems: SpecProblem[] = errors.map((e) => syntaxProblem(locate(e.pos[0]), e.message + flowHint(text, lineCounter, e.pos[0])));
  if (problems.length > 0) return { problems };
  for (const w of doc.warnings) {
    if (w.code !== "TAG_RESOLVE_FAILED") problems.push(syntaxProblem(locate(w.pos[0]), w.message));
  }
  if (doc.contents === null) return { problems };
  const root = convertDocument(doc, locate, problems);
  return { root, problems };
}

// Parses a --set value (a YAML scalar or flow collection); every node gets the fixed location.
export function parseValue(text: string, loc: Loc): { node?: Node; error?: string } {
  const doc = parseDocument(text, { prettyErrors: false, customTags: [secretTag], uniqueKeys: true });
  const first = doc.errors[0];
  if (first) return { error: lowerFirst(first.message) };
  const problems: SpecProblem[] = [];
  const node = convertDocument(doc, () => loc, problems);
  if (problems[0]) return { error: problems[0].message };
  if (node.kind === "scalar" && node.value !== null && typeof node.value !== "string") node.raw = text.trim();
  if (node.kind === "scalar" && node.value === null && !node.tagged) node.raw = text.trim();
  return { node };
}

function syntaxProblem(loc: Loc, message: string): SpecProblem {
  return { ...loc, path: "", message: `YAML syntax error: ${lowerFirst(message)}` };
}

// `{ port: ${PORT} }` is a syntax error (braces end the flow map): say how to write it.
function flowHint(text: string, lineCounter: LineCounter, offset: number): string {
  const { line } = lineCounter.linePos(offset);
  const start = lineCounter.lineStarts[line - 1] ?? 0;
  const end = lineCounter.lineStarts[line] ?? text.length;
  const lineText = text.slice(start, end);
  return /[[{][^'"]*\$\{/.test(lineText) ? " (inside [ ] or { }, quote values that use ${...})" : "";
}

function lowerFirst(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1);
}
