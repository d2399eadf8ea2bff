// Request ids: a client's x-request-id when it is a sane token, else one made here; echoed, logged, put in error bodies.
import { randomUUID } from "node:crypto";

export const REQUEST_ID_HEADER = "x-request-id";
export const MAX_REQUEST_ID = 128;

// Printable ASCII without spaces (0x21-0x7e): safe in a header, a log line and JSON.
const SANE = /^[\x21-\x7e]+$/;

// The id of a request: the incoming header when it is 1-128 printable characters without spaces, else a new UUID.
export function requestIdOf(header: string | string[] | undefined): string {
  return typeof header === "string" && header.length <= MAX_REQUEST_ID && SANE.test(header) ? header : randomUUID();
}
