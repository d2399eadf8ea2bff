// `mlship setup`: creates the Python runtime for this installation's runtime requirements under MLSHIP_HOME, once and atomically.
import { existsSync, readFileSync } from "node:fs";
import { chmod, mkdir, mkdtemp, open, readdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { hostname } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import { FatalError, UserError } from "../errors.js";
import { javaVerdict, pickPython, pythonCandidates, PYTHON_PROBE, type ProbeRun } from "./checks.js";
import { COMPLETE_MARKER, RUNTIME_REQUIREMENTS, requirementLines } from "./home.js";
import { runtimePlace, type RuntimePlace } from "./locate.js";
import { lockState, lockText } from "./lock.js";

export const SETUP_WAIT_ENV = "MLSHIP_SETUP_WAIT_SECONDS"; // how long a second `setup` waits for the first (default 900)
const PROBE_TIMEOUT_MS = 30_000;

export interface SetupWorld {
  env: Record<string, string | undefined>;
  projectRoot: string;
  quiet: boolean;
  progress: (line: string) => void; // a line for stderr
  output: (chunk: string) => void; // pip's own output (stderr), unless quiet
  now: () => Date;
  signal: AbortSignal; // SIGINT/SIGTERM: stop, remove what was half-built
}

export interface SetupResult {
  status: "already" | "created";
  home: string;
  key: string;
  dir: string;
  python: string; // the runtime's interpreter
  sparkSubmit: string;
  requirements: string[];
  java: { file: string; major: number };
  builtWith?: { python: string; version: string }; // the Python the venv was made from (status "created")
  seconds: number;
}

// Runs one probe with a deadline; never throws.
async function probe(file: string, args: string[], env: SetupWorld["env"]): Promise<ProbeRun> {
  const r = await execa(file, args, { env, extendEnv: false, reject: false, timeout: PROBE_TIMEOUT_MS, stdin: "ignore", encoding: "utf8", maxBuffer: 64 * 1024 });
  if ((r as { code?: string }).code === "ENOENT") return { file, ok: false, detail: "not found" };
  if (r.timedOut) return { file, ok: false, detail: "no answer in 30 s" };
  if (r.exitCode !== 0) return { file, ok: false, detail: (String(r.stderr).trim().split("\n").at(-1) ?? "") || `exit ${r.exitCode}` };
  return { file, ok: true, stdout: String(r.stdout), stderr: String(r.stderr) };
}

// Java 17+ (JAVA_HOME/bin/java, else java on PATH), or E_NO_JAVA.
async function checkJava(env: SetupWorld["env"]): Promise<{ file: string; major: number }> {
  const file = env.JAVA_HOME ? join(env.JAVA_HOME, "bin", "java") : "java";
  const v = javaVerdict(await probe(file, ["-version"], env), Boolean(env.JAVA_HOME));
  if (!v.ok) throw new UserError(`${v.message}: install it (Debian: apt-get install openjdk-17-jre-headless) or set JAVA_HOME`, "E_NO_JAVA");
  return { file: v.file, major: v.major };
}

// The first Python 3.10+ with venv (MLSHIP_PYTHON, else python3, ...), or E_NO_PYTHON.
async function findPython(env: SetupWorld["env"]): Promise<{ file: string; version: string }> {
  const runs: ProbeRun[] = [];
  for (const file of pythonCandidates(env)) {
    runs.push(await probe(file, ["-c", PYTHON_PROBE], env));
    const v = pickPython(runs);
    if (v.ok) return v;
  }
  const v = pickPython(runs);
  if (v.ok) return v;
  throw new UserError(`${v.message}: install python3 with venv (Debian: apt-get install python3 python3-venv), or set MLSHIP_PYTHON`, "E_NO_PYTHON");
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM"; // alive, another user's
  }
};

function abortable(signal: AbortSignal, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const done = () => (clearTimeout(t), signal.removeEventListener("abort", done), resolve());
    const t = setTimeout(done, ms);
    signal.addEventListener("abort", done);
  });
}

const interrupted = () => new FatalError("`mlship setup` was interrupted; nothing half-built is kept", "E_KILLED");

// Takes the runtime's lock (create-if-absent; a dead holder's is taken over), or waits while another setup holds it.
// "done": the other setup finished the runtime meanwhile.
async function acquire(lockFile: string, world: SetupWorld, complete: () => boolean): Promise<"acquired" | "done"> {
  const waitMs = Number(world.env[SETUP_WAIT_ENV] ?? 900) * 1000;
  const since = Date.now();
  let said = false;
  for (;;) {
    if (world.signal.aborted) throw interrupted();
    try {
      const fh = await open(lockFile, "wx", 0o644);
      await fh.writeFile(lockText(process.pid, hostname(), world.now()));
      await fh.close();
      return "acquired";
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
    }
    if (complete()) return "done";
    const text = await readFile(lockFile, "utf8").catch(() => undefined);
    if (text === undefined) continue; // released just now
    const ageMs = Date.now() - ((await stat(lockFile).catch(() => undefined))?.mtimeMs ?? Date.now());
    if (lockState(text, { host: hostname(), alive, ageMs }) === "stale") {
      world.progress(`setup: taking over the lock of a set-up that is gone (${lockFile})`);
      await rm(lockFile, { force: true });
      continue;
    }
    if (Date.now() - since > waitMs) {
      throw new FatalError(`another \`mlship setup\` holds ${lockFile} (${text.trim()}) and did not finish in ${waitMs / 1000} s`, "E_SETUP_BUSY");
    }
    if (!said) world.progress(`setup: another \`mlship setup\` is creating this runtime (${lockFile}); waiting for it`);
    said = true;
    await abortable(world.signal, 1000);
  }
}

// Runs one step of the build; its output goes to stderr (unless quiet) and its last lines into the error.
async function step(world: SetupWorld, what: string, file: string, args: string[]): Promise<void> {
  const child = execa(file, args, { env: world.env, extendEnv: false, reject: false, stdin: "ignore", all: true, encoding: "utf8", cancelSignal: world.signal });
  if (!world.quiet) child.all?.on("data", (d: Buffer | string) => world.output(String(d)));
  const r = await child;
  if (world.signal.aborted) throw interrupted();
  if (r.exitCode === 0) return;
  const tail = String(r.all ?? "").trim().split("\n").slice(-8);
  const why = (r as { code?: string }).code === "ENOENT" ? "not found" : `exit ${r.exitCode ?? r.signal}`;
  throw new FatalError(`${what} failed (${file}: ${why})`, "E_SETUP_FAILED", { details: tail });
}

// Removes what a set-up that died left for this key: its temporary folders, and a runtime folder without its marker.
async function removeLeftovers(place: RuntimePlace): Promise<void> {
  const parent = join(place.home, "python");
  for (const name of await readdir(parent)) {
    if (name.startsWith(`.tmp-${place.key}-`)) await rm(join(parent, name), { recursive: true, force: true });
  }
  if (existsSync(place.dir) && !existsSync(join(place.dir, COMPLETE_MARKER))) await rm(place.dir, { recursive: true, force: true });
}

// pip writes the temporary folder's interpreter into its scripts' #! lines (pip, f2py, ...): point them at the final folder.
async function retargetScripts(bin: string, from: string, to: string): Promise<void> {
  const prefix = `#!${join(from, "bin")}/`;
  for (const name of await readdir(bin)) {
    const file = join(bin, name);
    const info = await stat(file).catch(() => undefined);
    if (!info?.isFile() || info.size > 64 * 1024) continue;
    const text = await readFile(file, "latin1");
    if (text.startsWith(prefix)) await writeFile(file, `#!${join(to, "bin")}/${text.slice(prefix.length)}`, "latin1");
  }
}

// Builds the venv in a temporary folder beside the final one, checks it, marks it complete, then renames it into place.
async function build(place: RuntimePlace, requirements: string[], world: SetupWorld): Promise<{ file: string; version: string }> {
  await removeLeftovers(place);
  const python = await findPython(world.env);
  const tmp = await mkdtemp(join(place.home, "python", `.tmp-${place.key}-`));
  try {
    world.progress(`setup: creating the Python runtime in ${place.dir} (with ${python.file}, Python ${python.version})`);
    await step(world, "creating the venv", python.file, ["-m", "venv", tmp]);
    world.progress(`setup: installing ${requirements.join(", ")} (the first time downloads ~450 MB; pip's cache makes it fast later)`);
    const pip = ["-m", "pip", "install", "--disable-pip-version-check", "--no-input", "--prefer-binary", ...(world.quiet ? ["-q"] : []), "-r", place.requirements];
    await step(world, "pip install", join(tmp, "bin", "python"), pip);
    await step(world, "checking the installed packages", join(tmp, "bin", "python"), ["-c", "import pyspark, pyarrow, numpy"]);
    const marker = { key: place.key, requirements, python: python.version, createdAt: world.now().toISOString() };
    await retargetScripts(join(tmp, "bin"), tmp, place.dir);
    await writeFile(join(tmp, COMPLETE_MARKER), `${JSON.stringify(marker, null, 2)}\n`);
    await chmod(tmp, 0o755); // mkdtemp's 0700 would keep the other users of a shared MLSHIP_HOME out
    await rename(tmp, place.dir);
  } catch (err) {
    await rm(tmp, { recursive: true, force: true });
    throw err;
  }
  // A venv is checked again where it now lives (its interpreter finds its packages from its own path).
  try {
    await step(world, "checking the runtime in place", join(place.dir, "bin", "python"), ["-c", "import pyspark, pyarrow, numpy"]);
  } catch (err) {
    await rm(place.dir, { recursive: true, force: true });
    throw err;
  }
  return python;
}

// The whole set-up: Java, then the runtime (already there: a fast answer).
export async function setupRuntime(world: SetupWorld): Promise<SetupResult> {
  const started = Date.now();
  const place = runtimePlace(world.env, world.projectRoot);
  if (!place) throw new FatalError(`${join(world.projectRoot, RUNTIME_REQUIREMENTS)} is missing from this installation: reinstall mlship`, "E_INTERNAL");
  const requirements = requirementLines(readFileSync(place.requirements, "utf8"));
  const java = await checkJava(world.env);
  const complete = () => existsSync(join(place.dir, COMPLETE_MARKER));
  const result = (status: SetupResult["status"], builtWith?: SetupResult["builtWith"]): SetupResult => ({
    status,
    home: place.home,
    key: place.key,
    dir: place.dir,
    python: join(place.dir, "bin", "python"),
    sparkSubmit: join(place.dir, "bin", "spark-submit"),
    requirements,
    java,
    ...(builtWith ? { builtWith } : {}),
    seconds: Math.round((Date.now() - started) / 100) / 10,
  });
  if (complete()) return result("already");
  await mkdir(join(place.home, "python"), { recursive: true });
  const lockFile = `${place.dir}.lock`;
  if ((await acquire(lockFile, world, complete)) === "done") return result("already");
  try {
    if (complete()) return result("already");
    const used = await build(place, requirements, world);
    return result("created", { python: used.file, version: used.version });
  } finally {
    await rm(lockFile, { force: true });
  }
}
