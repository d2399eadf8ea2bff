// What must not go on a command line (/proc/<pid>/cmdline is world-readable): the job description and
// secret-bearing spark.conf entries travel in private files instead, secret-bearing spark.env in the environment.
import { join } from "node:path";
import type { SparkSpec } from "../jobspec/schema.js";
import type { PlanFile, SecretPlace } from "./types.js";

export const JOB_FILE = "mlship-job.json";
export const PROPERTIES_FILE = "mlship-secret.properties";

// Spark's default spark.redaction.regex: conf keys Spark itself treats as sensitive (S3 keys, passwords, …).
export const SENSITIVE_KEY = /secret|password|token|access[.]?key/i;

// Settings Spark puts on a JVM command line itself (driver or executor java options and paths).
const JVM_COMMAND_LINE = /^spark\.(driver|executor|yarn\.am)\.(extra|default)(JavaOptions|ClassPath|LibraryPath)$/;

const carries = (text: string, secrets: string[]): boolean => secrets.some((s) => s !== "" && text.includes(s));

// Dotted paths of the string leaves of a JSON value that hold a secret.
function secretLeaves(value: unknown, path: string, secrets: string[], out: string[]): string[] {
  if (typeof value === "string") {
    if (carries(value, secrets)) out.push(path);
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => secretLeaves(v, `${path}.${i}`, secrets, out));
  } else if (value !== null && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) secretLeaves(v, path === "" ? k : `${path}.${k}`, secrets, out);
  }
  return out;
}

// The job description file of the built-in trainer and the secrets it carries.
export function jobFile(runDir: string, json: string, secrets: string[]): { file: PlanFile; places: SecretPlace[] } {
  const path = join(runDir, JOB_FILE);
  const places = secretLeaves(JSON.parse(json), "", secrets, []).map((field) => ({ field, via: path }));
  return { file: { path, content: json, holds: "the job description (mlship_train.py --job-file)" }, places };
}

// Splits conf into what may go on the command line and what may not (a sensitive key, or a secret value).
export function splitConf(conf: SparkSpec["conf"], secrets: string[]): { plain: SparkSpec["conf"]; secret: Record<string, string> } {
  const plain: SparkSpec["conf"] = {};
  const secret: Record<string, string> = {};
  for (const [k, v] of Object.entries(conf)) {
    if (SENSITIVE_KEY.test(k) || carries(String(v), secrets)) secret[k] = String(v);
    else plain[k] = v;
  }
  return { plain, secret };
}

// Conf keys whose secret would reach a command line anyway, because Spark puts them on a JVM's.
export const onJvmCommandLine = (secret: Record<string, string>, secrets: string[]): string[] =>
  Object.keys(secret).filter((k) => JVM_COMMAND_LINE.test(k) && carries(secret[k] ?? "", secrets)).sort();

// A properties file (java.util.Properties syntax, as spark-submit's --properties-file reads it).
export function propertiesFile(runDir: string, entries: Record<string, string>): PlanFile {
  const lines = Object.keys(entries)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    .map((k) => `${escapeProperty(k, true)}=${escapeProperty(entries[k] ?? "", false)}`);
  return {
    path: join(runDir, PROPERTIES_FILE),
    content: `# written by mlship for one run; removed when it ends\n${lines.join("\n")}\n`,
    holds: "secret-bearing spark.conf entries (--properties-file)",
  };
}

// Escapes one key or value so Properties.load reads it back as written (non-ASCII as \uXXXX).
export function escapeProperty(s: string, key: boolean): string {
  let out = "";
  for (let i = 0; i < s.length; i++) {
    const c = s[i] as string;
    const code = s.charCodeAt(i);
    const named: Record<string, string> = { "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\f": "\\f" };
    if (named[c] !== undefined) out += named[c];
    else if (code < 0x20 || code > 0x7e) out += `\\u${code.toString(16).padStart(4, "0")}`;
    else if (c === " " && (key || i === 0)) out += "\\ ";
    else if (key && "=:#!".includes(c)) out += `\\${c}`;
    else out += c;
  }
  return out;
}

// The spark.env entries that carry a secret: they reach spark-submit through its environment.
export const envPlaces = (env: Record<string, string>, secrets: string[]): SecretPlace[] =>
  Object.keys(env)
    .filter((k) => SENSITIVE_KEY.test(k) || carries(env[k] ?? "", secrets))
    .sort()
    .map((k) => ({ field: `spark.env.${k}`, via: "environment" }));

// Words of argv that still hold a secret (of at least 4 characters, as redaction sees them), with the flag before.
export function secretWords(argv: string[], secrets: string[]): { index: number; flag: string }[] {
  const long = secrets.filter((s) => s.length >= 4);
  return argv.flatMap((a, index) => (carries(a, long) ? [{ index, flag: argv[index - 1] ?? "" }] : []));
}
