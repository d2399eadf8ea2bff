// What the registry and run commands share: parsing NAME@VERSION / NAME@ALIAS, --expect, who acts, aligned tables.
import type { Context } from "../context.js";
import { println } from "../output.js";
import { StoreRecordError } from "../../errors.js";
import { checkedVersion, parseModelRef } from "../../registry/index.js";

// "churn@3" -> { model: "churn", version: 3 }; anything else is a usage error naming the expected form.
export function versionRef(ref: string): { model: string; version: number } {
  const { model, selector } = parseModelRef(ref, "version");
  return { model, version: (selector as { version: number }).version };
}

// "churn@production" -> { model: "churn", alias: "production" }; a number or "latest" is not an alias.
export function aliasRef(ref: string): { model: string; alias: string } {
  const { model, selector } = parseModelRef(ref, "alias");
  return { model, alias: (selector as { alias: string }).alias };
}

// A version number argument.
export const versionNumber = checkedVersion;

// --expect N | none: the version the alias must point at now (null: the alias must not exist); undefined when not given.
export function expectedVersion(text: string | undefined): number | null | undefined {
  if (text === undefined) return undefined;
  if (text === "none") return null;
  return versionNumber(text, "--expect");
}

// Who is acting, for alias history and tombstones: MLSHIP_USER, else the login name.
export function actor(ctx: Context): string | undefined {
  return ctx.env.MLSHIP_USER || ctx.env.USER || ctx.env.LOGNAME || undefined;
}

// "3" or "none" for an alias that points nowhere.
export const versionLabel = (v: number | null) => (v === null ? "none" : String(v));

// Prints rows as columns separated by two spaces, the first row being the header.
export function printTable(ctx: Context, rows: string[][]): void {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => (row[i] ?? "").length)));
  for (const row of rows) println(ctx, row.map((cell, i) => cell.padEnd(widths[i]!)).join("  ").trimEnd());
}

// A number the way tables show it: integers as they are, others to 4 significant digits.
export const formatNumber = (v: number) => (Number.isInteger(v) ? String(v) : v.toPrecision(4));

// One damaged record, as listings show it.
export interface Damage {
  key: string;
  problems: string[];
}
export const damageOf = (err: StoreRecordError): Damage => ({ key: err.key, problems: err.problems });

// Runs `read`; a damaged record becomes an entry of `damaged` and the result null, any other error is thrown.
export async function contained<T>(damaged: Damage[], read: () => Promise<T>): Promise<T | null> {
  try {
    return await read();
  } catch (err) {
    if (!(err instanceof StoreRecordError)) throw err;
    damaged.push(damageOf(err));
    return null;
  }
}

// The damaged records under a listing, one line each, and where to look further.
export function printDamage(ctx: Context, damaged: Damage[]): void {
  if (!damaged.length) return;
  println(ctx);
  for (const d of damaged) println(ctx, `damaged: ${d.key}: ${d.problems.join("; ")}`);
  println(ctx, "(mlship store check lists every problem in the store)");
}
