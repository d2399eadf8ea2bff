// The driver-Python probe: the command to run, what its answer means, and the verdict against the Spark that runs. Pure.
import { delimiter, join } from "node:path";
import type { DriverPython } from "./interpreter.js";
import { majorMinor, pipLine } from "./spark-version.js";

// Prints one marked JSON line: the interpreter's version and path, each module's version or import error. numpy and
// pyarrow are imported (a broken build fails here, not in Spark); pyspark is found without running it (importing it
// takes seconds): its version.py is read, from a folder or from SPARK_HOME's pyspark.zip, and py4j must be there.
export const PROBE_SCRIPT = String.raw`import importlib.util, json, os, re, sys
out = {"python": "%d.%d.%d" % tuple(sys.version_info[:3]), "executable": sys.executable, "modules": {}, "errors": {}}
def pyspark_version():
    spec = importlib.util.find_spec("pyspark")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError("No module named 'pyspark'")
    if importlib.util.find_spec("py4j") is None:
        raise ModuleNotFoundError("No module named 'py4j' (pyspark needs it)")
    path = os.path.join(list(spec.submodule_search_locations)[0], "version.py")
    try:
        text = open(path, encoding="utf-8").read()
    except OSError:
        text = spec.loader.get_data(path).decode("utf-8")
    m = re.search(r"__version__[^=]*=\s*[\x27\x22]([^\x27\x22]+)", text)
    return m.group(1) if m else "unknown"
for name in ("numpy", "pyarrow", "pyspark"):
    try:
        out["modules"][name] = pyspark_version() if name == "pyspark" else str(getattr(__import__(name), "__version__", "unknown"))
    except BaseException as e:
        out["modules"][name] = None
        out["errors"][name] = "%s: %s" % (type(e).__name__, e)
print("mlship-probe " + json.dumps(out))
`;

const MARK = "mlship-probe ";

export interface ProbeFacts {
  python: string;
  executable: string;
  modules: Record<"numpy" | "pyarrow" | "pyspark", string | null>;
  errors: Record<string, string>;
}

// What running the probe gave: its facts, or why there are none.
export type ProbeOutcome =
  | { ok: true; facts: ProbeFacts }
  | { ok: false; reason: "not-found" | "failed" | "timeout"; detail: string };

// The probe's command and environment: the driver's interpreter, with the PYTHONPATH PythonRunner gives it
// (SPARK_HOME's python/lib/pyspark.zip and py4j zip, when they exist, ahead of the interpreter's own packages).
export function probeCommand(python: string, env: Record<string, string | undefined>, sparkHomeZips: string[]): { file: string; args: string[]; env: Record<string, string | undefined> } {
  const pythonPath = [...sparkHomeZips, ...(env.PYTHONPATH ? [env.PYTHONPATH] : [])].join(delimiter);
  return { file: python, args: ["-c", PROBE_SCRIPT], env: { ...env, ...(pythonPath ? { PYTHONPATH: pythonPath } : {}) } };
}

// The zips PythonRunner puts on PYTHONPATH for a SPARK_HOME, among the names in its python/lib folder.
export function sparkHomeZips(sparkHome: string | undefined, libNames: string[]): string[] {
  if (!sparkHome) return [];
  const lib = join(sparkHome, "python", "lib");
  const py4j = libNames.filter((n) => /^py4j-.*-src\.zip$/.test(n)).sort();
  return [...(libNames.includes("pyspark.zip") ? [join(lib, "pyspark.zip")] : []), ...py4j.map((n) => join(lib, n))];
}

// Reads the probe's marked line (untrusted output: anything else is ignored, a bad shape is a failure).
export function parseProbe(stdout: string): ProbeFacts | undefined {
  const line = stdout.split(/\r?\n/).reverse().find((l) => l.startsWith(MARK));
  if (line === undefined) return undefined;
  try {
    const v = JSON.parse(line.slice(MARK.length)) as ProbeFacts;
    const str = (x: unknown) => typeof x === "string";
    const mod = (x: unknown) => x === null || str(x);
    if (!str(v.python) || !str(v.executable) || typeof v.modules !== "object" || v.modules === null) return undefined;
    if (!mod(v.modules.numpy) || !mod(v.modules.pyarrow) || !mod(v.modules.pyspark)) return undefined;
    return { python: v.python, executable: v.executable, modules: v.modules, errors: typeof v.errors === "object" && v.errors !== null ? v.errors : {} };
  } catch {
    return undefined;
  }
}

export { sparkVersionOfRelease } from "./spark-version.js";

export interface VerdictInput {
  driver: DriverPython;
  outcome: ProbeOutcome;
  sparkVersion: string | undefined; // the Spark that runs; undefined when it cannot be known
  needs: ("numpy" | "pyarrow")[]; // the built-in trainer needs both; a user's script only pyspark
  suggestion: string | undefined; // an interpreter known to work here (the project's venv), for the message
  sparkFrom?: string; // where sparkVersion was read (a jar name, a RELEASE file), for the message
  pinnedPyspark?: string; // spark-scripts/requirements.txt's pyspark; another Spark gets its own pip line
}

export type Verdict =
  | { ok: true; summary: string; warnings: string[] }
  | { ok: false; message: string; details: string[] };

// Whether the driver's Python can run this job, and if not exactly what to set.
export function verdict(x: VerdictInput): Verdict {
  const { driver, outcome } = x;
  const who = (exe?: string) => `the driver's Python ${driver.python}${exe && exe !== driver.python ? ` (${exe})` : ""}, from ${driver.from},`;
  const target = x.suggestion ?? "/path/to/venv/bin/python";
  const wants = x.needs.length > 0 ? `a Python with ${x.needs.join(" and ")}${x.sparkVersion ? ` and pyspark ${majorMinor(x.sparkVersion)}` : ""}` : `a Python with pyspark${x.sparkVersion ? ` ${majorMinor(x.sparkVersion)}` : ""}`;
  const fix = `set PYSPARK_PYTHON=${target}, or spark.pyspark.python in the spec's spark.conf, to ${wants}: ${x.pinnedPyspark === undefined ? pipLine(undefined, "", []) : pipLine(x.sparkVersion, x.pinnedPyspark, x.needs)}`;
  if (!outcome.ok) {
    if (outcome.reason === "timeout") {
      return { ok: true, summary: `driver Python ${driver.python}: not checked`, warnings: [`${who()} did not answer the pre-flight check in time (${outcome.detail}); going on without it`] };
    }
    const what = outcome.reason === "not-found" ? "cannot be run" : "failed the pre-flight check";
    return { ok: false, message: `${who()} ${what}: ${outcome.detail}`, details: [fix] };
  }
  const f = outcome.facts;
  const missing = [...x.needs, "pyspark" as const].filter((m) => f.modules[m] === null);
  if (missing.length > 0) {
    const why = missing.map((m) => f.errors[m] ?? `${m} is missing`).join("; ");
    return { ok: false, message: `${who(f.executable)} cannot run this job before Spark starts: ${why}`, details: [fix] };
  }
  const pyspark = f.modules.pyspark as string;
  if (x.sparkVersion !== undefined && majorMinor(pyspark) !== majorMinor(x.sparkVersion)) {
    return {
      ok: false,
      message: `${who(f.executable)} imports pyspark ${pyspark}, but the Spark that runs is ${x.sparkVersion}${x.sparkFrom ? ` (${x.sparkFrom})` : ""}: the driver and the JVM must be the same major.minor`,
      details: [`${fix}${fix.includes("pyspark==") ? "" : ` (pip install pyspark==${x.sparkVersion})`}, or point SPARK_HOME at a Spark ${majorMinor(pyspark)}`],
    };
  }
  const mods = (["numpy", "pyarrow", "pyspark"] as const).filter((m) => f.modules[m] !== null).map((m) => `${m} ${f.modules[m]}`).join(", ");
  return { ok: true, summary: `driver Python ${f.executable} (Python ${f.python}; ${mods})`, warnings: [] };
}
