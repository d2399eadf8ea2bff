// mlship models show NAME[@VERSION|@ALIAS]: one version's metrics, certificate, lineage and artifacts.
import type { Context } from "../context.js";
import { printJson, println } from "../output.js";
import { openStoreFor } from "../store.js";
import { UserError } from "../../errors.js";
import { listAliases, parseModelRef, resolveModelRef } from "../../registry/index.js";

export async function run(ctx: Context, ref: string, opts: { store?: string; json?: boolean }): Promise<number> {
  const store = openStoreFor(ctx, opts.store);
  const record = await resolveModelRef(store, ref);
  if (!record) throw new UserError(`no model version matches "${ref}" in ${store.location} (see: mlship models list)`, "E_NOT_FOUND");
  const aliases = (await listAliases(store, parseModelRef(ref).model)).filter((a) => a.version === record.version).map((a) => a.alias);
  if (opts.json) {
    printJson(ctx, { ...record, aliases });
    return 0;
  }
  const metrics = Object.entries(record.metrics).map(([k, v]) => `${k}=${formatNumber(v)}`).join("  ");
  const p = record.parity;
  println(ctx, `${record.model}@${record.version}${aliases.length ? `  (${aliases.join(", ")})` : ""}`);
  println(ctx, `  algorithm   ${record.algorithm} (${record.task})`);
  println(ctx, `  created     ${record.createdAt}`);
  println(ctx, `  metrics     ${metrics || "-"}`);
  println(ctx, `  parity      ${p.passed ? "passed" : "FAILED"}: ${p.rows} rows, max |Δ| ${p.maxAbsDiff.toExponential(2)} (tolerance ${p.tolerance})`);
  println(ctx, `  run         ${record.lineage.runId} (job ${record.lineage.job})`);
  println(ctx, `  spec        ${record.lineage.specFile} sha256:${record.lineage.specSha256.slice(0, 12)}${record.lineage.profile ? ` profile ${record.lineage.profile}` : ""}`);
  println(ctx, `  git         ${record.lineage.gitCommit ?? "-"}${record.lineage.gitDirty ? " (uncommitted changes)" : ""}`);
  println(ctx, `  data        ${record.lineage.data.train} (${record.lineage.data.format})`);
  println(ctx, `  artifacts   ${record.artifacts.store}/${record.artifacts.prefix} (${record.artifacts.files} files, ${record.artifacts.bytes} bytes)`);
  return 0;
}

const formatNumber = (v: number) => (Number.isInteger(v) ? String(v) : v.toPrecision(4));
