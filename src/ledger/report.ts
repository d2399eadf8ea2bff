// The Spark driver's report of what it read (runs/<job>/<run-id>/read-files.json, beside model/), checked before use.
import { z } from "zod";
import { watermarkSchema } from "../records/schemas.js";
import type { Store } from "../store/types.js";
import type { Watermark } from "../registry/records.js";
import { normaliseDriverPath } from "./ledger.js";

export const DRIVER_REPORT = "read-files.json";

const reportSchema = z.looseObject({ files: z.array(z.string()), watermark: watermarkSchema.nullable().optional() });

export interface DriverReport {
  files: string[]; // in the ledger's path form
  watermark: Watermark | null;
}

export type ReportRead = { ok: true; report: DriverReport } | { ok: false; reason: string };

// Reads the report from the run folder; a run by a custom entrypoint may not have written one.
export async function readDriverReport(store: Store, runPrefix: string): Promise<ReportRead> {
  const got = await store.get(`${runPrefix}/${DRIVER_REPORT}`);
  if (!got.ok) return { ok: false, reason: `the Spark job wrote no ${DRIVER_REPORT}` };
  let doc: unknown;
  try {
    doc = JSON.parse(Buffer.from(got.body).toString("utf8"));
  } catch {
    doc = null;
  }
  const parsed = reportSchema.safeParse(doc);
  if (!parsed.success) return { ok: false, reason: `${DRIVER_REPORT} is not what mlship_train.py writes` };
  const { files, watermark } = parsed.data;
  return { ok: true, report: { files: [...new Set(files.map(normaliseDriverPath))].sort(), watermark: (watermark as Watermark | null | undefined) ?? null } };
}
