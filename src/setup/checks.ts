// What `mlship setup` needs on the machine, decided from its probes' output: Java 17 or newer, Python 3.10 or newer with venv. Pure.

export const MIN_JAVA = 17; // Spark 4
export const MIN_PYTHON: readonly [number, number] = [3, 10]; // pyspark 4.1

// One probe: the command that ran, and its output, or why it could not run.
export type ProbeRun = { file: string; ok: true; stdout: string; stderr: string } | { file: string; ok: false; detail: string };

// The Java major version from `java -version` output (1.8.0_x is 8; 17.0.15 is 17); undefined when none.
export function javaMajor(text: string): number | undefined {
  const m = /version "(\d+)(?:\.(\d+))?/.exec(text);
  if (!m) return undefined;
  return Number(m[1]) === 1 ? Number(m[2]) : Number(m[1]);
}

export type JavaVerdict = { ok: true; file: string; major: number } | { ok: false; message: string };

// Java from its `-version` probe.
export function javaVerdict(run: ProbeRun, fromJavaHome: boolean): JavaVerdict {
  const where = fromJavaHome ? `${run.file} (JAVA_HOME)` : `${run.file} (PATH)`;
  if (!run.ok) return { ok: false, message: `Java was not found: ${where}: ${run.detail}; Spark 4 needs Java ${MIN_JAVA} or newer` };
  const major = javaMajor(`${run.stderr}\n${run.stdout}`);
  if (major === undefined) return { ok: false, message: `${where} did not say its version; Spark 4 needs Java ${MIN_JAVA} or newer` };
  if (major < MIN_JAVA) return { ok: false, message: `${where} is Java ${major}; Spark 4 needs Java ${MIN_JAVA} or newer` };
  return { ok: true, file: run.file, major };
}

// The probe a candidate Python runs: its version, and whether it can make a venv with pip (Debian splits ensurepip off).
export const PYTHON_PROBE = [
  "import sys",
  "try:",
  "    import venv, ensurepip",
  "    ok = 1",
  "except ImportError:",
  "    ok = 0",
  "print('mlship-python %d.%d.%d %d' % (sys.version_info[:3] + (ok,)))",
].join("\n");

// The Pythons to try, in order: MLSHIP_PYTHON alone when set, else python3 and the versioned names.
export function pythonCandidates(env: Record<string, string | undefined>): string[] {
  return env.MLSHIP_PYTHON ? [env.MLSHIP_PYTHON] : ["python3", "python3.13", "python3.12", "python3.11", "python3.10"];
}

export type PythonVerdict = { ok: true; file: string; version: string } | { ok: false; message: string };

// The first candidate that is new enough and has venv; otherwise what each one lacked.
export function pickPython(runs: ProbeRun[]): PythonVerdict {
  const lacks: string[] = [];
  for (const run of runs) {
    const m = run.ok ? /mlship-python (\d+)\.(\d+)\.(\d+) ([01])/.exec(run.stdout) : null;
    if (!run.ok || !m) {
      lacks.push(`${run.file}: ${run.ok ? "no answer to the version probe" : run.detail}`);
      continue;
    }
    const [major, minor] = [Number(m[1]), Number(m[2])];
    const version = `${m[1]}.${m[2]}.${m[3]}`;
    if (major !== MIN_PYTHON[0] || minor < MIN_PYTHON[1]) lacks.push(`${run.file}: Python ${version}, older than ${MIN_PYTHON.join(".")}`);
    else if (m[4] !== "1") lacks.push(`${run.file}: Python ${version} without the venv module (Debian: apt-get install python3-venv)`);
    else return { ok: true, file: run.file, version };
  }
  return { ok: false, message: `no Python ${MIN_PYTHON.join(".")} or newer with venv was found (${lacks.join("; ")})` };
}
