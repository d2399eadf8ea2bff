// The store backends a conformance test runs against: a local directory and S3 (a real server over HTTP).
import { join } from "node:path";
import { LocalStore, openStore, type Store } from "../../src/store/index.js";
import type { S3TestServer } from "./s3-server.js";
import { uniquePrefix } from "./s3-server.js";

export type Backend = readonly [name: "local" | "s3", fresh: () => Store];

// Each call of `fresh` gives an empty store; `server` is read lazily (it starts in beforeAll).
export function storeBackends(root: string, server: () => S3TestServer): Backend[] {
  return [
    ["local", () => new LocalStore(join(root, uniquePrefix("store")))],
    ["s3", () => openStore(s3Location(server()), "/", server().env)],
  ];
}

export const s3Location = (server: S3TestServer, label = "store") => `s3://${server.bucket}/${uniquePrefix(label)}`;
