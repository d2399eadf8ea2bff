// Faults: with the S3 server down, calls fail after the SDK's retries with an error naming the endpoint;
// once it is back on the same port, the same calls succeed. Needs a server this suite can stop (moto).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openStore } from "../../src/store/index.js";
import { registerVersion, versionNumbers } from "../../src/registry/index.js";
import { startS3Server, type S3TestServer } from "../helpers/s3-server.js";
import { s3Location } from "../helpers/store-backends.js";
import { versionInput } from "../helpers/registry-input.js";

let server: S3TestServer;
beforeAll(async () => {
  server = await startS3Server();
});
afterAll(async () => {
  await server?.stop();
});

describe.skipIf(Boolean(process.env.MLSHIP_TEST_S3_ENDPOINT))("S3 store when the server goes away", () => {
  it("fails get, put and registration after retries with a clear error, then works after a restart", async () => {
    const location = s3Location(server, "faults");
    const store = openStore(location, "/", server.env);
    await store.put("before", "1"); // the client is connected and has keep-alive sockets open

    await server.stop();
    const unreachable = expect.objectContaining({
      code: "E_STORE_UNREACHABLE",
      message: expect.stringMatching(new RegExp(`^S3 endpoint ${server.endpoint.replace(/\./g, "\\.")} is unreachable \\(\\w+ after 5 attempts\\)`)),
    });
    const started = Date.now();
    await expect(store.get("k")).rejects.toEqual(unreachable);
    await expect(store.put("k", "v")).rejects.toEqual(unreachable);
    await expect(registerVersion(store, versionInput("m"))).rejects.toEqual(unreachable);
    expect(Date.now() - started).toBeLessThan(20_000);

    await server.start(); // same port; moto starts empty, the helper re-creates the bucket
    expect(await store.put("k", "v")).toMatch(/^[0-9a-f]{32}$/);
    const got = await store.get("k");
    expect(got.ok && Buffer.from(got.body).toString()).toBe("v");
    expect((await registerVersion(store, versionInput("m"))).version).toBe(1);
    expect(await versionNumbers(store, "m")).toEqual([1]);
  });
});
