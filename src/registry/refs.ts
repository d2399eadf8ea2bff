// Model references (NAME, NAME@VERSION, NAME@ALIAS, NAME@latest) and the names in them: the one place that
// parses and checks them, before any of it becomes a store key. A malformed reference is a usage error (exit 2).
import { UserError } from "../errors.js";

// Model, alias and job names: the same rule the job spec applies to `name` and `promote.alias`.
export const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
export const NAME_MAX = 64;
export const NAME_RULE = `1-${NAME_MAX} letters, digits, '_', '.', '-', starting with a letter or digit`;

export type Selector = { version: number } | { alias: string } | { latest: true };
export interface ModelRef {
  model: string;
  selector: Selector;
}

// Which forms a command accepts.
export type RefForm = "any" | "version" | "alias";

const FORMS: Record<RefForm, string> = {
  any: "NAME, NAME@VERSION, NAME@ALIAS or NAME@latest (e.g. churn@production)",
  version: "NAME@VERSION (e.g. churn@3)",
  alias: 'NAME@ALIAS (e.g. churn@production; an alias is a name, not a number or "latest")',
};

// A string as a message shows it: quoted and escaped, long ones cut with their length.
export function shown(text: string): string {
  return text.length > 80 ? `${JSON.stringify(text.slice(0, 40))}... (${text.length} characters)` : JSON.stringify(text);
}

// The problem with a name, or null when it is fine.
export function nameProblem(name: string, what = "model name"): string | null {
  if (NAME_PATTERN.test(name)) return null;
  if (name === "") return `the ${what} is empty`;
  if (name.length > NAME_MAX) return `the ${what} is ${name.length} characters long; at most ${NAME_MAX}`;
  return `the ${what} ${shown(name)} is not ${NAME_RULE}`;
}

// A version number in a reference or a flag: 1, 2, ... (as digits), or null.
function versionOf(text: string): number | null {
  if (!/^\d{1,15}$/.test(text)) return null;
  const n = Number(text);
  return n >= 1 ? n : null;
}

// Parses and checks a reference; the problem names the reference and the expected form.
export function checkModelRef(ref: string, form: RefForm = "any"): { ok: true; ref: ModelRef } | { ok: false; problem: string } {
  const fail = (why: string) => ({ ok: false as const, problem: `malformed reference ${shown(ref)}: ${why}; expected ${FORMS[form]}` });
  const at = ref.indexOf("@");
  const model = at < 0 ? ref : ref.slice(0, at);
  const sel = at < 0 ? null : ref.slice(at + 1);
  const bad = nameProblem(model);
  if (bad) return fail(bad);
  if (sel === null) return form === "any" ? { ok: true, ref: { model, selector: { latest: true } } } : fail(`no @${form === "version" ? "VERSION" : "ALIAS"}`);
  if (sel.includes("@")) return fail("more than one '@'");
  if (/^\d+$/.test(sel)) {
    const version = versionOf(sel);
    if (version === null) return fail(`version ${shown(sel)} is not a version number (1, 2, ...)`);
    return form === "alias" ? fail("a version number is not an alias") : { ok: true, ref: { model, selector: { version } } };
  }
  if (form === "version") return fail(`${shown(sel)} is not a version number (1, 2, ...)`);
  if (sel === "latest") return form === "alias" ? fail('"latest" is not an alias') : { ok: true, ref: { model, selector: { latest: true } } };
  const badAlias = nameProblem(sel, "alias");
  if (badAlias) return fail(badAlias);
  return { ok: true, ref: { model, selector: { alias: sel } } };
}

// Parses a reference or throws a usage error (exit 2).
export function parseModelRef(ref: string, form: RefForm = "any"): ModelRef {
  const checked = checkModelRef(ref, form);
  if (!checked.ok) throw new UserError(checked.problem, "E_USAGE");
  return checked.ref;
}

// A bare name (models versions NAME, runs list --job J, promote --to ALIAS), or a usage error.
export function checkedName(name: string, what: string): string {
  const bad = nameProblem(name, what);
  if (bad) throw new UserError(`${bad}; expected ${NAME_RULE}`, "E_USAGE");
  return name;
}

// A version number argument (alias set's VERSION, --expect), or a usage error.
export function checkedVersion(text: string, what = "VERSION"): number {
  const version = versionOf(text);
  if (version === null) throw new UserError(`expected ${what} to be a version number (1, 2, ...), got ${shown(text)}`, "E_USAGE");
  return version;
}
