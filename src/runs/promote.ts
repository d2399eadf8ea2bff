// The promotion gate: after registration, moves the spec's alias only when every condition holds.
import type { JobSpec } from "../jobspec/schema.js";
import type { Store } from "../store/types.js";
import { getAlias, getVersion, metricDirection, moveAlias, type VersionRecord } from "../registry/index.js";

export type Gate = NonNullable<JobSpec["promote"]>;

// One condition of the gate and how it went, in words.
export interface GateCheck {
  check: "parity" | "metric" | "min" | "max" | "notWorseThanCurrentBy";
  passed: boolean;
  detail: string;
}

export interface GateDecision {
  passed: boolean;
  checks: GateCheck[];
  // The failed checks' details, or a summary of the passed ones.
  reason: string;
}

export interface Promotion {
  alias: string;
  promoted: boolean;
  reason: string;
  // The version the alias pointed at before (and still does when not promoted).
  previous: number | null;
  checks: GateCheck[];
}

const fmt = (v: number) => (Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(6))));

// Decides the gate for a candidate against the alias's current version (null when the alias points nowhere). Pure.
export function decideGate(gate: Gate, candidate: VersionRecord, current: VersionRecord | null): GateDecision {
  const checks: GateCheck[] = [];
  const p = candidate.parity;
  checks.push({
    check: "parity",
    passed: p.passed,
    detail: p.passed ? `parity certificate passed (${p.rows} rows, max |Δ| ${p.maxAbsDiff.toExponential(2)} <= ${p.tolerance})` : `parity certificate failed (max |Δ| ${p.maxAbsDiff} > ${p.tolerance} or ${p.labelMismatches} label mismatches)`,
  });
  const when = gate.when;
  if (when) {
    const value = candidate.metrics[when.metric];
    if (value === undefined) {
      checks.push({ check: "metric", passed: false, detail: `metric ${when.metric} was not computed by version ${candidate.version} (it has: ${Object.keys(candidate.metrics).join(", ") || "none"})` });
    } else {
      if (when.min !== undefined) checks.push({ check: "min", passed: value >= when.min, detail: `${when.metric} ${fmt(value)} ${value >= when.min ? ">=" : "<"} min ${fmt(when.min)}` });
      if (when.max !== undefined) checks.push({ check: "max", passed: value <= when.max, detail: `${when.metric} ${fmt(value)} ${value <= when.max ? "<=" : ">"} max ${fmt(when.max)}` });
      if (when.notWorseThanCurrentBy !== undefined) checks.push(compareWithCurrent(when.metric, when.notWorseThanCurrentBy, value, current));
    }
  }
  const failed = checks.filter((c) => !c.passed);
  return { passed: failed.length === 0, checks, reason: (failed.length ? failed : checks).map((c) => c.detail).join("; ") };
}

// notWorseThanCurrentBy: the candidate may trail the current version by at most `margin`, in the metric's own direction.
function compareWithCurrent(metric: string, margin: number, value: number, current: VersionRecord | null): GateCheck {
  const check = "notWorseThanCurrentBy" as const;
  if (!current) return { check, passed: true, detail: `no current version to compare ${metric} with` };
  const theirs = current.metrics[metric];
  if (theirs === undefined) return { check, passed: true, detail: `current version ${current.version} has no ${metric} to compare with` };
  const direction = metricDirection(metric);
  if (!direction) return { check, passed: false, detail: `mlship does not know whether a higher or lower ${metric} is better, so it cannot compare it with version ${current.version}` };
  const worseBy = direction === "higher" ? theirs - value : value - theirs;
  const passed = worseBy <= margin;
  const relation = worseBy > 0 ? `worse by ${fmt(worseBy)}` : worseBy < 0 ? `better by ${fmt(-worseBy)}` : "equal";
  return {
    check,
    passed,
    detail: `${metric} ${fmt(value)} vs ${fmt(theirs)} of current version ${current.version} (${direction} is better): ${relation}, ${passed ? "within" : "more than"} the margin ${fmt(margin)}`,
  };
}

// How often the gate is decided again when the alias moved between reading it and moving it.
const ATTEMPTS = 5;

// Applies the spec's gate to a registered version and moves the alias (by compare-and-swap) only when it holds.
// `against`: what notWorseThanCurrentBy compares with instead of the alias's current version (an update's parent,
// scored on the child's validation slice).
export async function promote(store: Store, model: string, version: VersionRecord, gate: Gate, opts: { now?: () => Date; by?: string; against?: VersionRecord } = {}): Promise<Promotion> {
  let previous: number | null = null;
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const alias = await getAlias(store, model, gate.alias);
    previous = alias?.record.version ?? null;
    const current = opts.against ?? (previous === null ? null : await getVersion(store, model, previous));
    const decision = decideGate(gate, version, current);
    if (!decision.passed) return { alias: gate.alias, promoted: false, reason: decision.reason, previous, checks: decision.checks };
    const moved = await moveAlias(store, model, gate.alias, version.version, {
      expectVersion: previous,
      action: "promote",
      reason: decision.reason,
      ...(opts.now ? { now: opts.now } : {}),
      ...(opts.by ? { by: opts.by } : {}),
    });
    if (moved.ok) return { alias: gate.alias, promoted: true, reason: decision.reason, previous, checks: decision.checks };
    if (moved.reason !== "conflict") return { alias: gate.alias, promoted: false, reason: `version ${version.version} cannot be aliased: ${moved.reason}`, previous, checks: decision.checks };
  }
  return { alias: gate.alias, promoted: false, reason: `the alias ${gate.alias} kept moving while the gate was decided (${ATTEMPTS} attempts)`, previous, checks: [] };
}
