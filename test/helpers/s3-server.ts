// A real S3 server for tests: moto_server from the project's venv on a free loopback port, or the
// endpoint in MLSHIP_TEST_S3_ENDPOINT (MinIO, AWS) with credentials from the environment.
import type { BucketLocationConstraint } from "@aws-sdk/client-s3";
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { projectRoot } from "./cli.js";
import { freePort } from "./ports.js";

export interface S3TestServer {
  endpoint: string;
  bucket: string;
  // The environment a store (or a child process) needs to reach the server; nothing from the developer's AWS set-up.
  env: Record<string, string>;
  // True when this helper started the server (so it can be stopped and restarted).
  owned: boolean;
  // Stops the server (kills its process group); a no-op for an external endpoint.
  stop(): Promise<void>;
  // Starts it again on the same port and re-creates the bucket (moto keeps everything in memory).
  start(): Promise<void>;
}

// `moto_server -H … -p …`, but answering one request at a time. moto 5.2 checks If-None-Match / If-Match
// and then writes in a separate step with no lock, so under its default threaded server two racing
// conditional PUTs can both succeed (seen in this suite: two If-Match PUTs with the same etag, both 200).
// Serving requests one by one makes each check-and-write atomic, as on AWS S3 and MinIO.
const SERIAL_MOTO_SERVER = [
  "import sys, moto.server as m",
  "serve = m.run_simple",
  "m.run_simple = lambda *a, **k: serve(*a, **{**k, 'threaded': False})",
  "m.main(sys.argv[1:])",
].join("; ");

// moto's dummy credentials: passed explicitly so a developer's real keys never reach a test server.
const MOTO_ENV = { AWS_ACCESS_KEY_ID: "testing", AWS_SECRET_ACCESS_KEY: "testing", AWS_REGION: "us-east-1" };


const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// Waits until the endpoint answers HTTP (any status), failing early if the process died.
async function waitForHttp(url: string, proc: ChildProcess, log: () => string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (proc.exitCode !== null || proc.signalCode !== null) throw new Error(`moto_server exited (${proc.exitCode ?? proc.signalCode}):\n${log()}`);
    try {
      await fetch(url, { signal: AbortSignal.timeout(1000) });
      return;
    } catch {
      await sleep(100);
    }
  }
  throw new Error(`moto_server did not answer at ${url} within ${timeoutMs} ms:\n${log()}`);
}

// Kills the whole process group and waits for the leader to go (SIGKILL after 5 s).
async function killGroup(proc: ChildProcess): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null || !proc.pid) return;
  const gone = new Promise<void>((r) => proc.once("exit", () => r()));
  const signal = (sig: NodeJS.Signals) => {
    try {
      process.kill(-proc.pid!, sig);
    } catch {
      /* already gone */
    }
  };
  signal("SIGTERM");
  const timer = setTimeout(() => signal("SIGKILL"), 5000);
  await gone;
  clearTimeout(timer);
}

// Creates the bucket if it is not there (an existing bucket, e.g. on AWS, is used as it is).
async function ensureBucket(endpoint: string, bucket: string, env: Record<string, string>): Promise<void> {
  const { S3Client, CreateBucketCommand, HeadBucketCommand } = await import("@aws-sdk/client-s3");
  const region = env.AWS_REGION ?? "us-east-1";
  const client = new S3Client({
    endpoint,
    region,
    forcePathStyle: !["0", "false", "no", "off"].includes((env.MLSHIP_S3_PATH_STYLE ?? "").toLowerCase()),
    credentials: { accessKeyId: env.AWS_ACCESS_KEY_ID ?? "", secretAccessKey: env.AWS_SECRET_ACCESS_KEY ?? "", ...(env.AWS_SESSION_TOKEN ? { sessionToken: env.AWS_SESSION_TOKEN } : {}) },
  });
  try {
    await client.send(new HeadBucketCommand({ Bucket: bucket }));
  } catch {
    const where = region === "us-east-1" ? {} : { CreateBucketConfiguration: { LocationConstraint: region as BucketLocationConstraint } };
    await client.send(new CreateBucketCommand({ Bucket: bucket, ...where })).catch((err: Error) => {
      if (!["BucketAlreadyOwnedByYou", "BucketAlreadyExists"].includes(err.name)) throw err;
    });
  } finally {
    client.destroy();
  }
}

export async function startS3Server(): Promise<S3TestServer> {
  const external = process.env.MLSHIP_TEST_S3_ENDPOINT;
  if (external) {
    const env: Record<string, string> = { AWS_ENDPOINT_URL_S3: external, AWS_REGION: process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? "us-east-1" };
    for (const k of ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "MLSHIP_S3_PATH_STYLE"] as const) {
      if (process.env[k]) env[k] = process.env[k]!;
    }
    const bucket = process.env.MLSHIP_TEST_S3_BUCKET ?? "mlship-test";
    await ensureBucket(external, bucket, env);
    return { endpoint: external, bucket, env, owned: false, stop: async () => undefined, start: async () => undefined };
  }

  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const bucket = "mlship-test";
  const env: Record<string, string> = { ...MOTO_ENV, AWS_ENDPOINT_URL_S3: endpoint };
  let proc: ChildProcess | undefined;
  let tail = "";
  // Last resort if a test run dies without calling stop(): never leave a server behind.
  const killOnExit = () => {
    if (!proc?.pid || proc.exitCode !== null || proc.signalCode !== null) return;
    try {
      process.kill(-proc.pid, "SIGKILL");
    } catch {
      /* already gone */
    }
  };

  const start = async () => {
    tail = "";
    // detached: its own process group, so stop() also reaches anything moto_server forks.
    proc = spawn(join(projectRoot, ".venv", "bin", "python"), ["-c", SERIAL_MOTO_SERVER, "-H", "127.0.0.1", "-p", String(port)], {
      detached: true,
      stdio: ["ignore", "ignore", "pipe"],
      env: { PATH: process.env.PATH ?? "/usr/bin:/bin", ...MOTO_ENV },
    });
    // Keep only the last 4 KB of its request log, for error messages.
    proc.stderr!.on("data", (chunk: Buffer) => (tail = (tail + chunk.toString()).slice(-4096)));
    await waitForHttp(`${endpoint}/moto-api/`, proc, () => tail);
    await ensureBucket(endpoint, bucket, env);
  };

  process.once("exit", killOnExit);
  await start();
  return {
    endpoint,
    bucket,
    env,
    owned: true,
    stop: async () => {
      if (proc) await killGroup(proc);
    },
    start,
  };
}

// A fresh prefix per store, so tests (and repeated runs against a shared bucket) never see each other's keys.
export const uniquePrefix = (label: string) => `t-${Date.now().toString(36)}-${randomBytes(3).toString("hex")}/${label}`;
