// mlship models diff A B: the fields of two version records that differ, per section, with metric deltas.
import type { Context } from "../context.js";
import { printJson, println } from "../output.js";
import { openStoreFor } from "../store.js";
import { UserError } from "../../errors.js";
import { getVersionEntry, parseModelRef, resolveModelRef, type VersionRecord } from "../../registry/index.js";
import { DIFF_SECTIONS, diffVersions, type DiffRow } from "../../registry/diff.js";
import type { Store } from "../../store/types.js";
import { formatNumber, printTable } from "./registry-shared.js";

export async function run(ctx: Context, refA: string, refB: string, opts: { store?: string; json?: boolean }): Promise<number> {
  const store = openStoreFor(ctx, opts.store);
  // A bare number as B names a version of A's model: `models diff churn@production 3`.
  const fullB = /^\d+$/.test(refB) ? `${parseModelRef(refA).model}@${refB}` : refB;
  const [a, b] = [await recordOf(store, refA), await recordOf(store, fullB)];
  const diff = diffVersions(a, b);
  const [nameA, nameB] = [`${a.model}@${a.version}`, `${b.model}@${b.version}`];
  if (opts.json) {
    printJson(ctx, { a: nameA, b: nameB, differences: diff.rows.map((r) => ({ ...r, a: r.a ?? null, b: r.b ?? null })), same: diff.same, notKept: diff.missing });
    return 0;
  }
  println(ctx, `${nameA} vs ${nameB}`);
  for (const section of DIFF_SECTIONS) {
    const rows = diff.rows.filter((r) => r.section === section);
    const notKept = [...(diff.missing.a.includes(section) ? [nameA] : []), ...(diff.missing.b.includes(section) ? [nameB] : [])];
    if (notKept.length > 0) {
      println(ctx, `${section}: not kept by ${notKept.join(" and ")} (registered before versions kept it)`);
      continue;
    }
    println(ctx, `${section}: ${rows.length} differ, ${diff.same[section]} the same`);
    if (rows.length > 0) printTable(ctx, [["  field", nameA, nameB, ...(section === "metrics" ? ["change"] : [])], ...rows.map((r) => cells(r))]);
  }
  return 0;
}

// Explicit versions are found even when soft-deleted (as `models show` does); aliases and latest only live ones.
async function recordOf(store: Store, ref: string): Promise<VersionRecord> {
  const { model, selector } = parseModelRef(ref);
  const record = "version" in selector ? ((await getVersionEntry(store, model, selector.version))?.record ?? null) : await resolveModelRef(store, ref);
  if (!record) throw new UserError(`no model version matches "${ref}" in ${store.location} (see: mlship models versions ${model})`, "E_NOT_FOUND");
  return record;
}

function cells(r: DiffRow): string[] {
  const row = [`  ${r.field}`, shown(r.a), shown(r.b)];
  if (r.section === "metrics") row.push(r.delta === undefined ? "" : `${r.delta >= 0 ? "+" : ""}${formatNumber(r.delta)}`);
  return row;
}

// Values exactly as recorded (a diff is where 0.01 vs 0.010000001 matters); only the metric change is rounded.
const shown = (v: unknown): string => (v === undefined ? "-" : typeof v === "string" ? v : JSON.stringify(v));
