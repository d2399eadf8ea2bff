// Gathers the facts `mlship doctor` judges (processes, files, a socket, S3), all at once and each bounded in time.
import { constants, existsSync, statSync } from "node:fs";
import { access, readFile } from "node:fs/promises";
import { createServer } from "node:net";
import { dirname, join } from "node:path";
import { execa } from "execa";
import { chooseStore } from "../jobspec/store.js";
import { checkDriverPython, sparkVersion } from "../pyenv/preflight.js";
import { DEFAULTS as SERVE_DEFAULTS } from "../serve/runtime/options.js";
import { findSparkBuild, findSparkSubmit, readSparkDefaults } from "../submit/index.js";
import { credentialsCheck, doctorReport, homeCheck, javaCheck, nodeCheck, portCheck, pythonCheck, sparkCheck, storeCheck, type Check, type DoctorReport, type JavaFacts, type PortFacts, type StoreFacts } from "./checks.js";

export interface DoctorInput {
  env: Record<string, string | undefined>;
  cwd: string;
  projectRoot: string;
  nodeVersion: string;
  store?: string; // --store
  profile?: string; // --aws-profile: the AWS profile for the S3 checks
  port?: number; // the serve port to try (default: serve's)
}

// `java -version` of JAVA_HOME's java, else the one on PATH.
async function javaFacts(env: Record<string, string | undefined>, cwd: string): Promise<JavaFacts> {
  const [file, from] = env.JAVA_HOME ? [join(env.JAVA_HOME, "bin", "java"), "JAVA_HOME"] : ["java", "PATH"];
  const r = await execa(file, ["-version"], { env, extendEnv: false, cwd, reject: false, timeout: 20_000, stdin: "ignore", all: true, maxBuffer: 64 * 1024, encoding: "utf8" });
  if ((r as { code?: string }).code === "ENOENT" || r.exitCode === 127) return { found: false, tried: from === "JAVA_HOME" ? `${file} does not exist` : "no java on PATH and no JAVA_HOME" };
  const path = from === "PATH" ? ((await execa("sh", ["-c", 'command -v java'], { env, extendEnv: false, reject: false, timeout: 5_000 })).stdout.trim() || "java") : file;
  return { found: true, path, from, output: String(r.all ?? "") };
}

// Whether a folder can be written, or the nearest existing folder above it (where it would be created).
async function localStoreFacts(location: string): Promise<StoreFacts> {
  let nearest = location;
  while (!existsSync(nearest) && dirname(nearest) !== nearest) nearest = dirname(nearest);
  const exists = nearest === location && statSync(location).isDirectory();
  const writable = await access(nearest, constants.W_OK).then(() => true, () => false);
  return { kind: "local", location, exists, writable, nearest };
}

// Opens and closes the serve port, as serve would bind it.
function portFacts(host: string, port: number): Promise<PortFacts> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", (err: NodeJS.ErrnoException) => resolve({ host, port, free: false, reason: err.code === "EADDRINUSE" ? "in use" : (err.code ?? err.message) }));
    server.listen({ host, port, exclusive: true }, () => server.close(() => resolve({ host, port, free: true })));
  });
}

async function engines(projectRoot: string): Promise<string | undefined> {
  try {
    return (JSON.parse(await readFile(join(projectRoot, "package.json"), "utf8")) as { engines?: { node?: string } }).engines?.node;
  } catch {
    return undefined;
  }
}

// Every check, run concurrently; nothing here starts Spark.
export async function runDoctor(x: DoctorInput): Promise<DoctorReport> {
  const { env, cwd, projectRoot } = x;
  const located = findSparkSubmit({ env, projectRoot, exists: existsSync });
  const build = located.ok ? findSparkBuild(located, { ...env, ...located.env }) : undefined;
  const driverEnv = { ...env, ...(located.ok ? located.env : {}) };
  const { location } = chooseStore({ flag: x.store, env, spec: {}, cwd });
  const s3 = /^s3a?:\/\//i.test(location);

  const node = engines(projectRoot).then((e) => nodeCheck(x.nodeVersion, e));
  const java = javaFacts(env, cwd).then(javaCheck);
  const v = sparkVersion(build, env.SPARK_HOME);
  const spark = Promise.resolve(sparkCheck(located.ok ? { found: true, path: located.path, source: located.source, version: v?.version, versionFrom: v?.from } : { found: false, message: located.message }));
  const python = checkDriverPython({ env: driverEnv, conf: readSparkDefaults({ env: driverEnv, build, propertiesFile: undefined, cwd }), build, projectRoot, needs: ["numpy", "pyarrow"] }, cwd).then((r) =>
    pythonCheck({ python: r.driver.python, from: r.driver.from, verdict: r.verdict }),
  );
  const s3Facts = import("./s3-probe.js").then((m) => m.probeS3({ env, profile: x.profile, store: s3 ? location : undefined }));
  const store: Promise<Check> = s3 ? s3Facts.then((r) => storeCheck({ kind: "s3", location, result: r.listing ?? { ok: false, message: "not tried" } })) : localStoreFacts(location).then(storeCheck);
  const creds = s3Facts.then((r) => credentialsCheck({ needed: s3, ...r.credentials }));
  const port = portFacts(SERVE_DEFAULTS.host, x.port ?? SERVE_DEFAULTS.port).then(portCheck);
  const venv = join(projectRoot, ".venv");
  const home = Promise.resolve(homeCheck({ value: env.MLSHIP_HOME || undefined, exists: env.MLSHIP_HOME ? existsSync(env.MLSHIP_HOME) : false, venv: existsSync(venv) ? venv : undefined }));
  return doctorReport(await Promise.all([node, java, spark, python, store, creds, port, home]));
}
