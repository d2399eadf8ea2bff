// serve --host: which addresses are loopback, and the warning a service reachable from elsewhere gets without a token.
import { describe, expect, it } from "vitest";
import { exposureWarning, isLoopback } from "../../src/serve/runtime/exposure.js";

describe("serve --host exposure", () => {
  it.each([
    ["127.0.0.1", true],
    ["127.1.2.3", true],
    ["::1", true],
    ["[::1]", true],
    ["0:0:0:0:0:0:0:1", true],
    ["::ffff:127.0.0.1", true],
    ["localhost", true],
    ["0.0.0.0", false],
    ["::", false],
    ["10.0.0.5", false],
    ["my-host.example", false],
  ])("isLoopback(%s) = %s", (host, loopback) => expect(isLoopback(host)).toBe(loopback));

  it("warns for every interface without a token, never with one or on loopback", () => {
    expect(exposureWarning("0.0.0.0", false)).toMatch(/^listening on every interface with no --token-file/);
    expect(exposureWarning("::", false)).toMatch(/^listening on every interface/);
    expect(exposureWarning("10.0.0.5", false)).toMatch(/^listening on 10\.0\.0\.5 with no --token-file/);
    expect(exposureWarning("0.0.0.0", true)).toBeUndefined();
    expect(exposureWarning("127.0.0.1", false)).toBeUndefined();
  });
});
