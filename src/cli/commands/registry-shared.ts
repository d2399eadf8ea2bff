// What the registry and run commands share: parsing NAME@VERSION / NAME@ALIAS, --expect, who acts, aligned tables.
import type { Context } from "../context.js";
import { println } from "../output.js";
import { UserError } from "../../errors.js";

const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

// "churn@3" -> { model: "churn", version: 3 }; anything else is a usage error naming the expected form.
export function versionRef(ref: string): { model: string; version: number } {
  const m = /^([^@]+)@(\d+)$/.exec(ref);
  if (!m || !NAME.test(m[1]!)) throw new UserError(`expected MODEL@VERSION (e.g. churn@3), got "${ref}"`, "E_USAGE");
  return { model: m[1]!, version: Number(m[2]) };
}

// "churn@production" -> { model: "churn", alias: "production" }; a number or "latest" is not an alias.
export function aliasRef(ref: string): { model: string; alias: string } {
  const m = /^([^@]+)@([^@]+)$/.exec(ref);
  if (!m || !NAME.test(m[1]!) || !NAME.test(m[2]!) || /^\d+$/.test(m[2]!) || m[2] === "latest") {
    throw new UserError(`expected MODEL@ALIAS (e.g. churn@production; an alias is a name, not a number or "latest"), got "${ref}"`, "E_USAGE");
  }
  return { model: m[1]!, alias: m[2]! };
}

// A version number argument.
export function versionNumber(text: string, what = "VERSION"): number {
  if (!/^\d+$/.test(text) || Number(text) < 1) throw new UserError(`expected ${what} to be a version number (1, 2, ...), got "${text}"`, "E_USAGE");
  return Number(text);
}

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
