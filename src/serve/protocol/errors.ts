// The errors a request is refused with: a status, a stable code, a message and per-field reasons.

// Stable error codes of the HTTP API (documented in docs/serving.md).
export const CODES = {
  badJson: "E_BAD_JSON", // the body is not JSON (or is empty)
  badArrow: "E_BAD_ARROW", // the body is not an Arrow IPC stream (or is empty)
  badRequest: "E_BAD_REQUEST", // JSON, but not shaped like the route's request
  badInput: "E_BAD_INPUT", // shaped right, but fields do not fit the model's input schema
  empty: "E_EMPTY", // no records or rows to score
  mediaType: "E_UNSUPPORTED_MEDIA_TYPE",
  tooLarge: "E_BODY_TOO_LARGE",
  tooManyRows: "E_TOO_MANY_ROWS", // more rows than --max-rows
  tooManyColumns: "E_TOO_MANY_COLUMNS", // more Arrow columns than --max-columns, or nested too deep
  outputTooLarge: "E_OUTPUT_TOO_LARGE", // the answer would be larger than --max-output
  modelNotFound: "E_MODEL_NOT_FOUND",
  versionNotFound: "E_VERSION_NOT_FOUND",
  notFound: "E_NOT_FOUND", // no such route
  unauthorized: "E_UNAUTHORIZED",
  notReady: "E_NOT_READY",
  internal: "E_INTERNAL",
  // Answered below the routes (src/serve/http/connection.ts and fastify's framework errors):
  timeout: "E_REQUEST_TIMEOUT", // the request did not arrive within --request-timeout/--headers-timeout, or stalled past --idle-timeout
  incomplete: "E_INCOMPLETE_REQUEST", // the client closed its side before the whole request (e.g. a body shorter than its content-length)
  badHttp: "E_BAD_HTTP", // not valid HTTP/1.1: a bad request line, header or chunked encoding
  badUrl: "E_BAD_URL", // a path that is not valid percent-encoding
  uriTooLong: "E_URI_TOO_LONG", // a path segment longer than the router takes
  headersTooLarge: "E_HEADERS_TOO_LARGE", // the request line and headers are over Node's limit (16 KB)
} as const;

export interface FieldProblem {
  field: string;
  reason: string;
}

// A request the server answers with a 4xx (or, for its own faults, a 5xx) and a JSON error body.
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields?: FieldProblem[],
  ) {
    super(message);
    this.name = "HttpError";
  }
}

// More problems than this are counted in the message but not listed.
export const MAX_LISTED = 100;

// Collects every problem of a request so the caller sees them all in one answer.
export class Problems {
  readonly list: FieldProblem[] = [];
  total = 0;

  add(field: string, reason: string): void {
    this.total++;
    if (this.list.length < MAX_LISTED) this.list.push({ field, reason });
  }

  // Throws the collected problems as one 400 error, if there are any.
  throwIfAny(code: string, what: string): void {
    if (this.total === 0) return;
    const more = this.total > this.list.length ? ` (the first ${this.list.length} are listed)` : "";
    throw new HttpError(400, code, `${this.total} problem${this.total === 1 ? "" : "s"} in ${what}${more}`, this.list);
  }
}

// Describes a JSON value for an error reason: `string "12"`, `a list`, `an object`.
export function describeValue(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "a list";
  if (typeof v === "object") return "an object";
  const text = JSON.stringify(v);
  return `${typeof v} ${text.length > 40 ? `${text.slice(0, 37)}...` : text}`;
}

export const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
