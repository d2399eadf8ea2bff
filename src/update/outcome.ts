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
  specFile: string; // as the user named it, for the command that fixes a refusal
}

export type UpdateRefusalCode = "E_UPDATE_OVERLAP" | "E_UPDATE_REFUSED" | "E_UPDATE_NO_STATE" | "E_UPDATE_MODE";

export type UpdateOutcome =
  | { ok: true; line: string; json: Record<string, unknown> }
  | { ok: false; code: UpdateRefusalCode; message: string; details: string[] };

const SHOWN = 5;

// Decides the answer in this order: a refusal of the plan, nothing new, a retried update, a parent without state,
// then the mode the update would use (not built yet: E_UPDATE_MODE names it with the new data found).
export function updateOutcome(input: OutcomeInput): UpdateOutcome {
  const { plan, parent } = input;
  const parentJson = { model: parent.model, version: parent.version };
  if (plan.kind === "overlap") return { ok: false, code: "E_UPDATE_OVERLAP", message: plan.message, details: plan.details };
  if (plan.kind === "refused") return { ok: false, code: "E_UPDATE_REFUSED", message: plan.message, details: [] };
  if (plan.kind === "nothing-new") {
    return { ok: true, line: plan.message, json: { ok: true, updated: false, parent: parentJson, reason: "nothing-new", message: plan.message } };
  }
  if (input.retried !== null) {
    const child = `${parent.model}@${input.retried}`;
    const message = `already updated: ${child} is the child of ${plan.parent} for this new data (same update key)`;
    return { ok: true, line: message, json: { ok: true, updated: false, parent: parentJson, reason: "retried", version: input.retried, updateKey: plan.key, message } };
  }
  const mode = chooseMode(parent.updateModes, input.catalogueModes);
  if (!mode.ok) return { ok: false, code: "E_UPDATE_NO_STATE", message: `${plan.parent} ${mode.why}; \`mlship train ${input.specFile}\` makes a fresh, updatable version`, details: [] };
  return {
    ok: false,
    code: "E_UPDATE_MODE",
    message: `new data found since ${plan.parent}, but update mode "${mode.mode}" (${parent.algorithm}) is not built yet; nothing was started. \`mlship train ${input.specFile}\` retrains on all the data`,
    details: newDataLines(plan.files, plan.predicate, plan.listingTells),
  };
}

// The mode an update uses: the first of the algorithm's catalogue modes the parent's training state enables.
export function chooseMode(stateModes: readonly string[] | undefined, catalogueModes: readonly string[]): { ok: true; mode: string } | { ok: false; why: string } {
  if (!stateModes) return { ok: false, why: "has no training state (it was trained before mlship exported one)" };
  const mode = catalogueModes.find((m) => stateModes.includes(m)) ?? stateModes[0];
  return mode ? { ok: true, mode } : { ok: false, why: "has a training state that enables no update mode" };
}

// The new data a plan found, as detail lines: each file (up to five, then a count) and the watermark predicate.
export function newDataLines(files: readonly InputFile[], predicate: Predicate | null, listingTells: boolean): string[] {
  const lines = files.slice(0, SHOWN).map((f) => `new: ${f.path}`);
  if (files.length > SHOWN) lines.push(`… and ${files.length - SHOWN} more new files`);
  if (predicate) lines.push(`rows where ${predicate.column} > ${JSON.stringify(predicate.value)}${listingTells ? "" : " (the listing cannot tell which files hold them; Spark would)"}`);
  return lines;
}
