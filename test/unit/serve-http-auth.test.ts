// The optional bearer token check.
import { describe, expect, it } from "vitest";
import { bearerCheck } from "../../src/serve/http/auth.js";

describe("bearer token check", () => {
  const check = bearerCheck("abc123");
  it.each([
    [undefined, false],
    ["", false],
    ["Bearer", false],
    ["Bearer ", false],
    ["Bearer abc12", false],
    ["Bearer abc1234", false],
    ["Token abc123", false],
    ["Bearer abc123", true],
    ["bearer abc123", true],
    ["BEARER  abc123 ", true],
  ])("%j -> %s", (header, ok) => expect(check(header)).toBe(ok));
});
