// The only place that formats what the CLI prints: human text, JSON, errors.
import type { Context } from "./context.js";
import { FatalError, SpecError, UserError, type ExitCode } from "../errors.js";
import { exitCodeOf } from "../error-codes.js";

export const printJson = (ctx: Context, value: unknown) => ctx.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
export const println = (ctx: Context, text = "") => ctx.stdout.write(`${text}\n`);
export const info = (ctx: Context, text: string) => ctx.stderr.write(`${text}\n`);

// Prints an error the way its class asks for and returns the exit code; never a stack trace for known errors.
export function reportError(ctx: Context, err: unknown, json: boolean): ExitCode {
  const known = err instanceof UserError || err instanceof FatalError;
  const exitCode: ExitCode = known ? err.exitCode : exitCodeOf("E_INTERNAL");
  const code = known ? err.code : "E_INTERNAL";
  const message = err instanceof Error ? err.message : String(err);
  const details = known ? err.details : [];
  if (json) {
    const problems = err instanceof SpecError ? err.problems : undefined;
    printJson(ctx, { ok: false, error: { code, message, ...(details.length ? { details } : {}), ...(problems ? { problems } : {}) } });
  } else if (err instanceof SpecError) {
    info(ctx, message);
    info(ctx, `mlship: ${err.problems.length} problem${err.problems.length === 1 ? "" : "s"} in the spec`);
  } else {
    info(ctx, `mlship: ${message}`);
    for (const line of details) info(ctx, `  ${line}`);
    if (!known && err instanceof Error && err.stack && ctx.env.MLSHIP_DEBUG) info(ctx, err.stack);
  }
  return exitCode;
}
