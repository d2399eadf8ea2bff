// A real Spark standalone cluster for tests: a master and workers started from the project venv's own Spark jars
// (spark-class), on free loopback ports, each in its own process group so a test can kill one worker or all.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { projectRoot } from "./cli.js";
import { freePort } from "./ports.js";

export { freePort };

export interface StandaloneWorker {
  pid: number;
  // SIGKILLs the worker's process group (its executors die with it, as when a machine is lost).
  kill(): Promise<void>;
}

export interface StandaloneCluster {
  masterUrl: string; // spark://127.0.0.1:PORT
  webUrl: string; // the master's web UI (its /json/ lists workers, applications and drivers)
  workers: StandaloneWorker[];
  addWorker(opts?: WorkerOptions): Promise<StandaloneWorker>;
  stop(): Promise<void>;
}

export interface WorkerOptions {
  cores?: number; // default 1
  memory?: string; // default "2g"
}

// pip's pyspark is a whole Spark (bin/, jars/); its SPARK_HOME is the package folder inside the venv.
export function venvSparkHome(): string {
  const lib = join(projectRoot, ".venv", "lib");
  const python = readdirSync(lib).find((d) => d.startsWith("python"));
  if (!python) throw new Error(`no python folder under ${lib}: run npm run setup`);
  return join(lib, python, "site-packages", "pyspark");
}


const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// The environment of the cluster's JVMs: loopback only, the venv's Spark, nothing from a developer's SPARK_HOME.
function clusterEnv(work: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, SPARK_HOME: venvSparkHome(), SPARK_LOCAL_IP: "127.0.0.1", SPARK_LOG_DIR: work, SPARK_WORKER_DIR: join(work, "worker") };
  delete env.SPARK_CONF_DIR;
  return env;
}

// Starts one JVM of the cluster and waits for a line of its log that says it is ready.
async function startDaemon(args: string[], ready: RegExp, env: NodeJS.ProcessEnv, what: string, timeoutMs = 180_000): Promise<{ proc: ChildProcess; log: () => string }> {
  const proc = spawn(join(env.SPARK_HOME!, "bin", "spark-class"), args, { env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  const collect = (d: Buffer) => {
    out += d.toString();
    if (out.length > 200_000) out = out.slice(-100_000);
  };
  proc.stdout!.on("data", collect);
  proc.stderr!.on("data", collect);
  const deadline = Date.now() + timeoutMs;
  while (!ready.test(out)) {
    if (proc.exitCode !== null || proc.signalCode !== null) throw new Error(`${what} exited (${proc.exitCode ?? proc.signalCode}):\n${out}`);
    if (Date.now() > deadline) {
      await killGroup(proc);
      throw new Error(`${what} was not ready within ${timeoutMs} ms:\n${out}`);
    }
    await sleep(100);
  }
  return { proc, log: () => out };
}

// SIGKILLs a daemon's whole process group and waits for the leader to go.
async function killGroup(proc: ChildProcess): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null || !proc.pid) return;
  const gone = new Promise<void>((r) => proc.once("exit", () => r()));
  try {
    process.kill(-proc.pid, "SIGKILL");
  } catch {
    /* already gone */
  }
  await gone;
}

// A master on free ports plus `workers` workers (default 1), ready when every worker has registered.
export async function startStandalone(opts: { workers?: number } & WorkerOptions = {}): Promise<StandaloneCluster> {
  const work = mkdtempSync(join(tmpdir(), "mlship-standalone-"));
  const env = clusterEnv(work);
  const [port, webPort] = [await freePort(), await freePort()];
  const masterUrl = `spark://127.0.0.1:${port}`;
  const master = await startDaemon(
    ["org.apache.spark.deploy.master.Master", "--host", "127.0.0.1", "--port", String(port), "--webui-port", String(webPort)],
    /I have been elected leader|New state: ALIVE/,
    env,
    "the standalone master",
  );
  const daemons: ChildProcess[] = [master.proc];
  const workers: StandaloneWorker[] = [];
  const addWorker = async (w: WorkerOptions = {}): Promise<StandaloneWorker> => {
    const started = await startDaemon(
      ["org.apache.spark.deploy.worker.Worker", "--host", "127.0.0.1", "--cores", String(w.cores ?? opts.cores ?? 1), "--memory", w.memory ?? opts.memory ?? "2g", "--webui-port", String(await freePort()), "--work-dir", join(work, `worker-${workers.length}`), masterUrl],
      /Successfully registered with master/,
      env,
      "a standalone worker",
    );
    daemons.push(started.proc);
    const worker = { pid: started.proc.pid!, kill: () => killGroup(started.proc) };
    workers.push(worker);
    return worker;
  };
  try {
    for (let i = 0; i < (opts.workers ?? 1); i++) await addWorker();
  } catch (err) {
    await Promise.all(daemons.map(killGroup));
    throw err;
  }
  return {
    masterUrl,
    webUrl: `http://127.0.0.1:${webPort}`,
    workers,
    addWorker,
    stop: async () => {
      await Promise.all(daemons.map(killGroup));
      rmSync(work, { recursive: true, force: true });
    },
  };
}

// The master's own view (applications, drivers, workers), from its web UI's JSON endpoint.
export async function masterState(cluster: Pick<StandaloneCluster, "webUrl">): Promise<{
  workers: { id: string; state: string; cores: number; coresused: number }[];
  activeapps: { id: string; name: string; state: string }[];
  completedapps: { id: string; name: string; state: string }[];
  activedrivers: { id: string; state: string }[];
  completeddrivers: { id: string; state: string }[];
}> {
  const res = await fetch(`${cluster.webUrl}/json/`);
  return (await res.json()) as never;
}
