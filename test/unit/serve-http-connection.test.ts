// The answers Node gives below the routes (parser errors, timeouts), in mlship's error shape.
import { describe, expect, it } from "vitest";
import { clientProblem } from "../../src/serve/http/connection.js";
import { DEFAULT_TIMEOUTS } from "../../src/serve/runtime/options.js";

describe("serve timeouts: what Node's client errors are answered with", () => {
  it.each([
    ["ERR_HTTP_REQUEST_TIMEOUT", true, 408, "E_REQUEST_TIMEOUT", /whole request did not arrive within 30s \(--request-timeout\)/],
    ["ERR_HTTP_REQUEST_TIMEOUT", false, 408, "E_REQUEST_TIMEOUT", /headers did not arrive within 10s \(--headers-timeout\)/],
    ["HPE_HEADER_OVERFLOW", false, 431, "E_HEADERS_TOO_LARGE", /larger than \d+ bytes/],
    ["HPE_INVALID_EOF_STATE", true, 400, "E_INCOMPLETE_REQUEST", /before the whole request arrived/],
    ["HPE_INVALID_CHUNK_SIZE", true, 400, "E_BAD_HTTP", /not valid HTTP\/1\.1: Invalid character in chunk size \(HPE_INVALID_CHUNK_SIZE\)/],
  ])("answers Node's %s (headers in: %s) with %i %s", (code, headersIn, status, errorCode, message) => {
    const err = Object.assign(new Error("Parse Error"), { code, reason: "Invalid character in chunk size" });
    expect(clientProblem(err, DEFAULT_TIMEOUTS, headersIn)).toMatchObject({ status, code: errorCode, message: expect.stringMatching(message) });
  });
});
