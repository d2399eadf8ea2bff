// Two version records side by side: the fields that differ (parameters, effective spec, data, metrics, lineage),
// for `mlship models diff A B`. Pure: records in, rows out.
import type { VersionRecord } from "./records.js";
import { consumedSummary } from "../ledger/lineage.js";

export type DiffSection = "params" | "spec" | "data" | "metrics" | "lineage";
export const DIFF_SECTIONS: readonly DiffSection[] = ["params", "spec", "data", "metrics", "lineage"];

export interface DiffRow {
  section: DiffSection;
  field: string; // dotted path within the section
  a: unknown; // undefined: A has no such field
  b: unknown;
  delta?: number; // metrics: b - a
}

export interface VersionDiff {
  rows: DiffRow[]; // only the fields that differ, in section order then field order
  same: Record<DiffSection, number>; // how many fields are equal, per section
  missing: { a: DiffSection[]; b: DiffSection[] }; // sections a record does not keep (registered before they were kept)
}

// The fields of two records that differ, section by section.
export function diffVersions(a: VersionRecord, b: VersionRecord): VersionDiff {
  const rows: DiffRow[] = [];
  const same = Object.fromEntries(DIFF_SECTIONS.map((s) => [s, 0])) as Record<DiffSection, number>;
  const missing = { a: [] as DiffSection[], b: [] as DiffSection[] };
  for (const section of DIFF_SECTIONS) {
    const [left, right] = [sectionOf(a, section), sectionOf(b, section)];
    if (left === null) missing.a.push(section);
    if (right === null) missing.b.push(section);
    if (left === null || right === null) continue;
    const fields = [...new Set([...Object.keys(left), ...Object.keys(right)])].sort();
    for (const field of fields) {
      const [x, y] = [left[field], right[field]];
      if (equal(x, y)) {
        same[section]++;
        continue;
      }
      const delta = section === "metrics" && typeof x === "number" && typeof y === "number" ? y - x : undefined;
      rows.push({ section, field, a: x, b: y, ...(delta !== undefined ? { delta } : {}) });
    }
  }
  return { rows, same, missing };
}

// One section of a record as flat dotted fields; null when the record does not keep it.
function sectionOf(r: VersionRecord, section: DiffSection): Record<string, unknown> | null {
  switch (section) {
    case "params":
      return r.params ? { stage: r.params.stage, ...flatten(r.params.params) } : null;
    case "spec":
      // The data paths and the lineage are compared in their own sections.
      return r.spec ? flatten(r.spec) : null;
    case "data": {
      const consumed = consumedSummary(r.lineage);
      return {
        train: r.lineage.data.train,
        format: r.lineage.data.format,
        ...(consumed ? { "consumed.files": consumed.files, "consumed.bytes": consumed.bytes } : {}),
        ...(r.lineage.watermark ? { watermark: `${r.lineage.watermark.column} = ${JSON.stringify(r.lineage.watermark.value)}` } : {}),
        ...(r.update ? { "rows.history": r.update.rows.history, "rows.new": r.update.rows.new } : {}),
      };
    }
    case "metrics":
      return { ...r.metrics, "parity.maxAbsDiff": r.parity.maxAbsDiff, "parity.rows": r.parity.rows };
    case "lineage":
      return {
        version: r.version,
        createdAt: r.createdAt,
        algorithm: r.algorithm,
        runId: r.lineage.runId,
        job: r.lineage.job,
        specFile: r.lineage.specFile,
        specSha256: r.lineage.specSha256,
        profile: r.lineage.profile,
        overrides: r.lineage.overrides,
        gitCommit: r.lineage.gitCommit,
        gitDirty: r.lineage.gitDirty,
        parentVersion: r.lineage.parentVersion ?? null,
        updateMode: r.update?.mode,
        sparkVersion: r.sparkVersion,
      };
  }
}

// {a: {b: 1}, c: [1, 2]} -> {"a.b": 1, c: [1, 2]}: maps flatten, lists and scalars stay whole.
export function flatten(value: Record<string, unknown>, prefix = ""): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (v && typeof v === "object" && !Array.isArray(v) && Object.keys(v).length > 0) Object.assign(out, flatten(v as Record<string, unknown>, path));
    else if (v !== undefined) out[path] = v;
  }
  return out;
}

const equal = (x: unknown, y: unknown) => JSON.stringify(x) === JSON.stringify(y);
