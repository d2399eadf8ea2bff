// Opens the store a command should use: --store, else MLSHIP_STORE, else the spec's store:, else ./mlship-store.
import type { Context } from "./context.js";
import { openStore, unsupportedStore, type Store } from "../store/index.js";
import { chooseStore, resolveStore } from "../jobspec/store.js";

export function openStoreFor(ctx: Context, flag: string | undefined, fromSpec?: string): Store {
  return openStore(resolveStore({ flag, env: ctx.env, spec: { store: fromSpec }, cwd: ctx.cwd }), ctx.cwd, ctx.env);
}

// The store of a run: opened, or refused (a problem of the spec's `store:` field, for planRun to report with the
// others) when the spec's own store names no backend. An unsupported --store or MLSHIP_STORE throws, as elsewhere.
export function runStoreFor(
  ctx: Context,
  flag: string | undefined,
  fromSpec: string | undefined,
): { ok: true; store: Store } | { ok: false; location: string; message: string } {
  const { location, from } = chooseStore({ flag, env: ctx.env, spec: { store: fromSpec }, cwd: ctx.cwd });
  const message = unsupportedStore(location);
  if (message !== undefined && from === "spec") return { ok: false, location, message };
  return { ok: true, store: openStore(location, ctx.cwd, ctx.env) };
}
