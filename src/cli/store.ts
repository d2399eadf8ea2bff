// Opens the store a command should use: --store, else MLSHIP_STORE, else the spec's store:, else ./mlship-store.
import type { Context } from "./context.js";
import { openStore, type Store } from "../store/index.js";
import { resolveStore } from "../spec/store.js";

export function openStoreFor(ctx: Context, flag: string | undefined, fromSpec?: string): Store {
  return openStore(resolveStore({ flag, env: ctx.env, spec: { store: fromSpec }, cwd: ctx.cwd }), ctx.cwd, ctx.env);
}
