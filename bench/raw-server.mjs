#!/usr/bin/env node
// Baselines for bench/serve-http.mjs: minimal raw node:http servers that do only the stated work and
// nothing else (no routing, no metrics, no validation).
//   node bench/raw-server.mjs STORE_DIR MODEL_PREFIX: parses the same JSON body as `mlship serve` and runs
//     the same compiled scorer (the baseline of the ratio);
//   node bench/raw-server.mjs --dot32: the reference, JSON.parse of {"features": [32 numbers]}
//     and a logistic regression's 32-feature dot product (shows what the machine itself can do).
// Prints {"port": N} once it listens.
import { createServer } from "node:http";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

// For the chosen baseline: a function from a request body (text) to the answer's JSON text.
async function scorerFor(args) {
  if (args[0] === "--dot32") {
    const weights = Float64Array.from({ length: 32 }, (_, i) => ((i % 7) - 3) / 10);
    return (text) => {
      const { features } = JSON.parse(text);
      let z = 0.25;
      for (let i = 0; i < 32; i++) z += weights[i] * features[i];
      return JSON.stringify({ probability: 1 / (1 + Math.exp(-z)) });
    };
  }
  const [storeDir, prefix] = args;
  const { LocalStore } = await import(join(root, "dist/store/index.js"));
  const { loadPortableModel } = await import(join(root, "dist/model/index.js"));
  const store = new LocalStore(storeDir);
  const model = await loadPortableModel(async (rel) => (await store.get(`${prefix}/portable/${rel}`)).body);
  return (text) => {
    const { records } = JSON.parse(text);
    return JSON.stringify({ predictions: records.map((r) => model.scoreRecord(r)) });
  };
}

const answer = await scorerFor(process.argv.slice(2));
const server = createServer((req, res) => {
  const chunks = [];
  req.on("data", (c) => chunks.push(c));
  req.on("end", () => {
    const text = answer(Buffer.concat(chunks).toString("utf8"));
    res.writeHead(200, { "content-type": "application/json" });
    res.end(text);
  });
});
server.listen(0, "127.0.0.1", () => console.log(JSON.stringify({ port: server.address().port })));
process.on("SIGTERM", () => server.close(() => process.exit(0)));
