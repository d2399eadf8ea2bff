#!/usr/bin/env node
// Baseline for bench/serve-http.mjs: a minimal raw node:http server that parses the same JSON body and
// runs the same compiled scorer. Usage: node bench/raw-server.mjs STORE_DIR MODEL_PREFIX (prints its port).
import { createServer } from "node:http";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const [storeDir, prefix] = process.argv.slice(2);
const { LocalStore } = await import(join(root, "dist/store/index.js"));
const { loadPortableModel } = await import(join(root, "dist/model/index.js"));
const store = new LocalStore(storeDir);
const model = await loadPortableModel(async (rel) => (await store.get(`${prefix}/portable/${rel}`)).body);

const server = createServer((req, res) => {
  const chunks = [];
  req.on("data", (c) => chunks.push(c));
  req.on("end", () => {
    const { records } = JSON.parse(Buffer.concat(chunks).toString("utf8"));
    const predictions = records.map((r) => model.scoreRecord(r));
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({ predictions }));
  });
});
server.listen(0, "127.0.0.1", () => console.log(JSON.stringify({ port: server.address().port })));
process.on("SIGTERM", () => server.close(() => process.exit(0)));
