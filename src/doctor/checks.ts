// `mlship doctor`'s checks as pure functions: facts gathered elsewhere in, one ok/warn/fail line with its fix out.
import { minVersion, satisfies, validRange } from "semver";

export type CheckStatus = "ok" | "warn" | "fail";

export interface Check {
  id: "node" | "java" | "spark" | "python" | "store" | "s3-credentials" | "port" | "mlship-home";
  status: CheckStatus;
  detail: string; // one line: what was found
  fix?: string; // one line: what to do (on warn and fail)
}

// Node against package.json's engines.node (any npm range: "^20.19.0 || ^22.13.0 || >=24.0.0").
export function nodeCheck(version: string, engines: string | undefined): Check {
  const range = engines === undefined ? null : validRange(engines);
  if (range === null) return { id: "node", status: "warn", detail: `Node ${version}; cannot compare with engines.node ${JSON.stringify(engines ?? null)}`, fix: "use the Node version README.md names" };
  const v = version.replace(/^v/, "");
  if (satisfies(v, range)) return { id: "node", status: "ok", detail: `Node ${v} (package.json engines.node ${engines})` };
  const lowest = minVersion(range);
  const fix = `install a Node that engines.node allows${lowest ? ` (nvm install ${lowest.major})` : ""}`;
  return { id: "node", status: "fail", detail: `Node ${v} is outside engines.node ${engines}`, fix };
}

// The feature version of `java -version`'s output: "1.8.0_392" → 8, "17.0.9" → 17, "21" → 21.
export function javaVersionOf(output: string): { version: string; feature: number } | undefined {
  const m = /version "([^"]+)"/.exec(output);
  if (!m) return undefined;
  const version = m[1] as string;
  const parts = version.split(/[.+_-]/).map(Number);
  const feature = parts[0] === 1 ? (parts[1] ?? NaN) : (parts[0] ?? NaN);
  return Number.isFinite(feature) ? { version, feature } : undefined;
}

export const JAVA_MINIMUM = 17; // Spark 4 runs on Java 17 and 21

export type JavaFacts = { found: false; tried: string } | { found: true; path: string; from: string; output: string };

// Java, for Spark (train, update; serve needs none).
export function javaCheck(j: JavaFacts): Check {
  const fix = `install a Java ${JAVA_MINIMUM} or 21 runtime (apt-get install openjdk-17-jre-headless) and put it on PATH or set JAVA_HOME; serve and predict need no Java`;
  if (!j.found) return { id: "java", status: "fail", detail: `no Java (${j.tried})`, fix };
  const v = javaVersionOf(j.output);
  if (v === undefined) return { id: "java", status: "warn", detail: `${j.path} (${j.from}) did not say its version`, fix };
  if (v.feature < JAVA_MINIMUM) return { id: "java", status: "fail", detail: `Java ${v.version} at ${j.path} (${j.from}) is older than ${JAVA_MINIMUM}, which Spark 4 needs`, fix };
  return { id: "java", status: "ok", detail: `Java ${v.version} at ${j.path} (${j.from})` };
}

export type SparkFacts = { found: false; message: string } | { found: true; path: string; source: string; version: string | undefined; versionFrom: string | undefined };

// spark-submit: which one, its version and where that was read.
export function sparkCheck(s: SparkFacts): Check {
  if (!s.found) return { id: "spark", status: "fail", detail: s.message, fix: "set SPARK_HOME to a Spark 4 installation, or create the project venv (npm run setup)" };
  const from = s.source === "SPARK_HOME" ? "SPARK_HOME" : s.source === "venv" ? "the project venv" : "PATH";
  if (s.version === undefined) return { id: "spark", status: "warn", detail: `${s.path} (from ${from}); its version could not be read (no spark-core jar, no RELEASE file)`, fix: "point SPARK_HOME at a full Spark distribution" };
  const major = Number(s.version.split(".")[0]);
  if (major < 4) return { id: "spark", status: "warn", detail: `Spark ${s.version} at ${s.path} (from ${from}; ${s.versionFrom}); mlship is built and tested on Spark 4`, fix: "use a Spark 4 (set SPARK_HOME, or unset it to use the project venv's)" };
  return { id: "spark", status: "ok", detail: `Spark ${s.version} at ${s.path} (from ${from}; ${s.versionFrom})` };
}

export interface PythonFacts {
  python: string; // as configured
  from: string; // where the choice came from
  verdict: { ok: true; summary: string; warnings: string[] } | { ok: false; message: string; details: string[] };
}

// The local driver's Python (the pre-flight's verdict for the built-in trainer).
export function pythonCheck(p: PythonFacts): Check {
  if (!p.verdict.ok) return { id: "python", status: "fail", detail: p.verdict.message, fix: p.verdict.details[0] ?? "set PYSPARK_PYTHON to a Python with spark-scripts/requirements.txt installed" };
  if (p.verdict.warnings.length > 0) return { id: "python", status: "warn", detail: p.verdict.warnings[0] as string, fix: "check that interpreter by hand, or set MLSHIP_PYTHON_CHECK=off" };
  return { id: "python", status: "ok", detail: `${p.verdict.summary.replace(/^driver Python /, "")}, from ${p.from}` };
}

export type StoreFacts =
  | { kind: "local"; location: string; exists: boolean; writable: boolean; nearest: string }
  | { kind: "s3"; location: string; result: { ok: true; ms: number } | { ok: false; message: string } };

// The store: a local folder that is (or can be created) writable; an S3 bucket that answers a one-key listing.
export function storeCheck(s: StoreFacts): Check {
  if (s.kind === "local") {
    if (s.exists && s.writable) return { id: "store", status: "ok", detail: `${s.location} (local, writable)` };
    if (s.exists) return { id: "store", status: "fail", detail: `${s.location} (local) is not writable`, fix: "fix its permissions, or pass --store / set MLSHIP_STORE to a folder you can write" };
    return s.writable
      ? { id: "store", status: "ok", detail: `${s.location} (local; does not exist yet, the first train creates it)` }
      : { id: "store", status: "fail", detail: `${s.location} (local) does not exist and ${s.nearest} is not writable`, fix: "pass --store / set MLSHIP_STORE to a folder you can write" };
  }
  return s.result.ok
    ? { id: "store", status: "ok", detail: `${s.location} (S3, answered a listing in ${s.result.ms} ms)` }
    : { id: "store", status: "fail", detail: `${s.location} (S3): ${s.result.message}`, fix: "check the bucket name, AWS_ENDPOINT_URL, the region and the credentials' permissions (s3:ListBucket, s3:GetObject, s3:PutObject)" };
}

export interface CredentialFacts {
  needed: boolean; // the store is on S3
  found: boolean;
  source: string; // where the SDK found them, or where it looked; never a value
  error?: string;
}

// S3 credentials, found by the SDK's chain (environment, profile, SSO, web identity, instance role); values never shown.
export function credentialsCheck(c: CredentialFacts): Check {
  if (c.found) return { id: "s3-credentials", status: "ok", detail: `present (${c.source})` };
  if (!c.needed) return { id: "s3-credentials", status: "ok", detail: `none found (${c.source}); not needed: the store is local` };
  return { id: "s3-credentials", status: "fail", detail: `none found (${c.source})${c.error ? `: ${c.error}` : ""}`, fix: "set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE (or --aws-profile), or run where an instance role applies" };
}

export type PortFacts = { port: number; host: string; free: true } | { port: number; host: string; free: false; reason: string };

// The default serve port; taken is a warning (serve --port picks another).
export function portCheck(p: PortFacts): Check {
  return p.free
    ? { id: "port", status: "ok", detail: `${p.host}:${p.port} is free for mlship serve` }
    : { id: "port", status: "warn", detail: `${p.host}:${p.port} cannot be opened (${p.reason})`, fix: `serve on another port: mlship serve --port 9000 …` };
}

export interface HomeFacts {
  value: string | undefined; // MLSHIP_HOME as set
  exists: boolean;
  venv: string | undefined; // the project's venv, when there is one
}

// MLSHIP_HOME: where the Python runtime lives when it is set; else the project's venv.
export function homeCheck(h: HomeFacts): Check {
  if (h.value === undefined) return { id: "mlship-home", status: "ok", detail: `MLSHIP_HOME is not set${h.venv ? `; the runtime is the project venv ${h.venv}` : ""}` };
  return h.exists
    ? { id: "mlship-home", status: "ok", detail: `MLSHIP_HOME=${h.value}` }
    : { id: "mlship-home", status: "warn", detail: `MLSHIP_HOME=${h.value} does not exist`, fix: "create it (mlship setup), or unset MLSHIP_HOME" };
}

export interface DoctorReport {
  ok: boolean; // no check failed
  counts: Record<CheckStatus, number>;
  checks: Check[];
}

const ORDER: Check["id"][] = ["node", "java", "spark", "python", "store", "s3-credentials", "port", "mlship-home"];

// The report: every check in a fixed order, and whether any failed.
export function doctorReport(checks: Check[]): DoctorReport {
  const sorted = [...checks].sort((a, b) => ORDER.indexOf(a.id) - ORDER.indexOf(b.id));
  const counts = { ok: 0, warn: 0, fail: 0 };
  for (const c of sorted) counts[c.status] += 1;
  return { ok: counts.fail === 0, counts, checks: sorted };
}

// The human text: one line per check, its fix indented below, a summary line.
export function formatDoctor(r: DoctorReport): string[] {
  const lines = r.checks.flatMap((c) => [`${c.status.padEnd(4)}  ${c.id.padEnd(14)}  ${c.detail}`, ...(c.fix && c.status !== "ok" ? [`${" ".repeat(22)}fix: ${c.fix}`] : [])]);
  const { ok, warn, fail } = r.counts;
  return [...lines, "", `${fail === 0 ? "no failures" : `${fail} failed`}: ${ok} ok, ${warn} warning${warn === 1 ? "" : "s"}, ${fail} failed`];
}
