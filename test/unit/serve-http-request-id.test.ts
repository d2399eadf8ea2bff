// Request ids and W3C traceparent headers: a sane client id is kept, anything else replaced; a malformed traceparent is ignored.
import { describe, expect, it } from "vitest";
import { requestIdOf } from "../../src/serve/http/request-id.js";
import { parseTraceparent } from "../../src/serve/http/traceparent.js";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe("request ids", () => {
  it.each(["abc-123", "req_01HZX", "a".repeat(128), "x/y:z=1", "~!@#$%^&*()"])("keeps the client's id %j", (id) => expect(requestIdOf(id)).toBe(id));

  it.each([
    ["absent", undefined],
    ["empty", ""],
    ["too long", "a".repeat(129)],
    ["with a space", "a b"],
    ["with a tab", "a\tb"],
    ["with a newline", "a\r\nset-cookie: x"],
    ["not ASCII", "café"],
    ["a control character", "a\u0000"],
    ["repeated headers", ["a", "b"]],
  ])("replaces an id that is %s with a new UUID", (_what, header) => expect(requestIdOf(header as string | string[] | undefined)).toMatch(UUID));

  it("makes a different id each time", () => expect(requestIdOf(undefined)).not.toBe(requestIdOf(undefined)));
});

describe("traceparent", () => {
  const TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
  const PARENT = "00f067aa0ba902b7";

  it("reads the trace id, the parent id and the sampled flag", () => {
    expect(parseTraceparent(`00-${TRACE}-${PARENT}-01`)).toEqual({ traceId: TRACE, parentId: PARENT, sampled: true });
    expect(parseTraceparent(`00-${TRACE}-${PARENT}-00`)).toEqual({ traceId: TRACE, parentId: PARENT, sampled: false });
  });

  it("accepts a later version with more fields", () => expect(parseTraceparent(`01-${TRACE}-${PARENT}-01-extra`)?.traceId).toBe(TRACE));

  it.each([
    ["absent", undefined],
    ["empty", ""],
    ["upper-case hex", `00-${TRACE.toUpperCase()}-${PARENT}-01`],
    ["a short trace id", `00-${TRACE.slice(1)}-${PARENT}-01`],
    ["an all-zero trace id", `00-${"0".repeat(32)}-${PARENT}-01`],
    ["an all-zero parent id", `00-${TRACE}-${"0".repeat(16)}-01`],
    ["version ff", `ff-${TRACE}-${PARENT}-01`],
    ["version 00 with more fields", `00-${TRACE}-${PARENT}-01-extra`],
    ["not hex", `00-${TRACE.slice(0, 31)}g-${PARENT}-01`],
    ["repeated headers", [`00-${TRACE}-${PARENT}-01`, `00-${TRACE}-${PARENT}-01`]],
    ["huge", `00-${TRACE}-${PARENT}-01`.padEnd(10_000, "x")],
  ])("ignores a traceparent that is %s", (_what, header) => expect(parseTraceparent(header as string | string[] | undefined)).toBeNull());
});
