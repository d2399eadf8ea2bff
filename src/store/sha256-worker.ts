// sha256 computed on a worker thread, each stream fed in order: a pull hashes its parts there while the main
// thread keeps the sockets and the file writes moving (hashing 200 MB costs a thread ~0.2-0.3 s).
import { createRequire } from "node:module";

// node:worker_threads is required when the first worker starts, not at import: most commands never pull, and
// loading it costs every command's start-up (the store's index imports this module).
const requireBuiltin = createRequire(import.meta.url);

// The worker's whole program (evaluated, so the CLI bundle needs no separate file): one hash per stream id;
// each chunk is answered with its length once hashed, and a null chunk with the stream's hex digest. It
// uses import(), not require: an evaluated worker is an ES module when the parent runs with
// --input-type=module. (Messages sent before its listener is attached wait in the port's queue.)
const WORKER_SOURCE = `
Promise.all([import("node:worker_threads"), import("node:crypto")]).then(([{ parentPort }, { createHash }]) => {
  const hashes = new Map();
  parentPort.on("message", ({ id, chunk }) => {
    let hash = hashes.get(id);
    if (!hash) hashes.set(id, (hash = createHash("sha256")));
    if (chunk === null) {
      hashes.delete(id);
      return parentPort.postMessage({ digest: hash.digest("hex") });
    }
    hash.update(chunk);
    parentPort.postMessage({ hashed: chunk.byteLength });
  });
});
`;

// One sha256 being computed on the worker.
export interface Sha256Stream {
  // Hashes `chunk` after every chunk given to this stream before; resolves once it is hashed. The chunk is
  // handed over (its memory moves to the worker when the view owns all of it): the caller must not use it again.
  update(chunk: Uint8Array): Promise<void>;
  // The hex digest of everything given to this stream.
  digest(): Promise<string>;
}

export interface Sha256Worker {
  // A new, empty hash (a stream that is never digested is simply dropped when the worker ends).
  stream(): Sha256Stream;
  // Ends the worker (idempotent); pending and later updates reject.
  close(): Promise<void>;
}

type Reply = { hashed: number } | { digest: string };

// Starts a worker thread that hashes what it is given; replies come back in the order of the messages.
export function startSha256Worker(): Sha256Worker {
  const { Worker } = requireBuiltin("node:worker_threads") as typeof import("node:worker_threads");
  const worker = new Worker(WORKER_SOURCE, { eval: true });
  worker.unref(); // never keeps the process alive on its own
  const waiting: { resolve: (r: Reply) => void; reject: (e: unknown) => void }[] = [];
  let failure: unknown;
  let closed = false;
  let streams = 0;
  const failAll = (error: unknown) => {
    failure ??= error;
    for (const w of waiting.splice(0)) w.reject(failure);
  };
  worker.on("message", (reply: Reply) => waiting.shift()?.resolve(reply));
  worker.on("error", failAll);
  worker.on("exit", (code) => failAll(new Error(`sha256 worker exited (code ${code})`)));

  const send = (id: number, chunk: Uint8Array | null): Promise<Reply> => {
    if (closed) return Promise.reject(new Error("sha256 worker is closed"));
    if (failure !== undefined) return Promise.reject(failure);
    const reply = new Promise<Reply>((resolve, reject) => waiting.push({ resolve, reject }));
    const owned = chunk !== null && chunk.buffer instanceof ArrayBuffer && chunk.byteOffset === 0 && chunk.byteLength === chunk.buffer.byteLength;
    try {
      worker.postMessage({ id, chunk }, owned ? [chunk.buffer as ArrayBuffer] : []);
    } catch {
      worker.postMessage({ id, chunk }); // an untransferable buffer (e.g. from Node's pool): copied instead
    }
    return reply;
  };

  return {
    stream: () => {
      const id = streams++;
      return {
        update: async (chunk) => void (await send(id, chunk)),
        digest: async () => {
          const reply = await send(id, null);
          return "digest" in reply ? reply.digest : "";
        },
      };
    },
    close: async () => {
      if (closed) return;
      closed = true;
      await worker.terminate();
    },
  };
}
