// What `mlship update` answers for a plan: exit 0 with a report, or a refusal with its code and each path named (pure).
import type { InputFile } from "../ledger/index.js";
import type { Predicate, UpdatePlan } from "./plan.js";

// The parent version as the outcome needs it.
export interface ParentInfo {
  model: string;
  version: number;
  algorithm: string;
  updateModes?: readonly string[] | undefined; // undefined: no training state (trained before it)
}

export interface OutcomeInput {
  plan: UpdatePlan;
  parent: ParentInfo;
  retried: number | null; // the child a retried update already registered, for a `new` plan
  catalogueModes: readonly string[]; // the algorithm's updateModes in catalogue order (its default first)
  specMode?: string | undefined; // the spec's update.mode, when set
  specFile: string; // as the user named it, for the command that fixes a refusal
}

export type UpdateRefusalCode = "E_UPDATE_OVERLAP" | "E_UPDATE_REFUSED" | "E_UPDATE_NO_STATE" | "E_UPDATE_MODE";

export type UpdateOutcome =
  | { ok: true; train: false; line: string; json: Record<string, unknown> }
  | { ok: true; train: true; mode: string; plan: Extract<UpdatePlan, { kind: "new" }> }
  | { ok: false; code: UpdateRefusalCode; message: string; details: string[] };

const SHOWN = 5;

// Decides the answer in this order: a refusal of the plan, nothing new, a retried update, a parent without state,
// then the mode: the spec's update.mode or the algorithm's default, which the parent's state must enable (never a
// silent fall back to another mode); then train the child.
export function updateOutcome(input: OutcomeInput): UpdateOutcome {
  const { plan, parent } = input;
  const parentJson = { model: parent.model, version: parent.version };
  if (plan.kind === "overlap") return { ok: false, code: "E_UPDATE_OVERLAP", message: plan.message, details: plan.details };
  if (plan.kind === "refused") return { ok: false, code: "E_UPDATE_REFUSED", message: plan.message, details: [] };
  if (plan.kind === "nothing-new") {
    return { ok: true, train: false, line: plan.message, json: { ok: true, updated: false, parent: parentJson, reason: "nothing-new", message: plan.message } };
  }
  if (input.retried !== null) {
    const child = `${parent.model}@${input.retried}`;
    const message = `already updated: ${child} is the child of ${plan.parent} for this new data (same update key)`;
    return { ok: true, train: false, line: message, json: { ok: true, updated: false, parent: parentJson, reason: "retried", version: input.retried, updateKey: plan.key, message } };
  }
  const mode = chooseMode(parent.updateModes, input.catalogueModes, input.specMode);
  if (!mode.ok) {
    const fix = mode.code === "E_UPDATE_NO_STATE" ? `; \`mlship train ${input.specFile}\` makes a fresh, updatable version` : "";
    return { ok: false, code: mode.code, message: `${plan.parent} (${parent.algorithm}): ${mode.why}${fix}`, details: newDataLines(plan.files, plan.predicate, plan.listingTells) };
  }
  return { ok: true, train: true, mode: mode.mode, plan };
}

// The mode an update uses: the spec's update.mode, else the algorithm's default (the first of its catalogue modes);
// it must be one of the algorithm's and one the parent's training state enables.
export function chooseMode(
  stateModes: readonly string[] | undefined,
  catalogueModes: readonly string[],
  specMode?: string,
): { ok: true; mode: string } | { ok: false; code: "E_UPDATE_NO_STATE" | "E_UPDATE_MODE"; why: string } {
  const mode = specMode ?? catalogueModes[0];
  const named = specMode ? `update.mode ${specMode}` : `the default update mode ${mode}`;
  if (!mode || !catalogueModes.includes(mode)) return { ok: false, code: "E_UPDATE_MODE", why: `${named} is not a mode of this algorithm (it has: ${catalogueModes.join(", ") || "none"})` };
  if (!stateModes) return { ok: false, code: "E_UPDATE_NO_STATE", why: "has no training state (it was trained before mlship exported one)" };
  if (!stateModes.includes(mode)) {
    const others = stateModes.length ? `it enables ${stateModes.join(", ")}: set update.mode to one of them` : "it enables no update mode";
    return { ok: false, code: stateModes.length ? "E_UPDATE_MODE" : "E_UPDATE_NO_STATE", why: `its training state does not enable ${named} (${others})` };
  }
  return { ok: true, mode };
}

// The new data a plan found, as detail lines: each file (up to five, then a count) and the watermark predicate.
export function newDataLines(files: readonly InputFile[], predicate: Predicate | null, listingTells: boolean): string[] {
  const lines = files.slice(0, SHOWN).map((f) => `new: ${f.path}`);
  if (files.length > SHOWN) lines.push(`… and ${files.length - SHOWN} more new files`);
  if (predicate) lines.push(`rows where ${predicate.column} > ${JSON.stringify(predicate.value)}${listingTells ? "" : " (the listing cannot tell which files hold them; Spark would)"}`);
  return lines;
}
