// W3C Trace Context: the trace id of a `traceparent` header (https://www.w3.org/TR/trace-context/#traceparent-header),
// or null when the header is absent or malformed (then it is ignored, as the specification asks).

// version-traceid-parentid-flags, lower-case hex; versions after 00 may append fields after a dash.
const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$/;
const ZEROS_32 = "0".repeat(32);
const ZEROS_16 = "0".repeat(16);

export interface TraceParent {
  traceId: string;
  parentId: string;
  sampled: boolean;
}

// Parses a traceparent header; null when it is not valid.
export function parseTraceparent(header: string | string[] | undefined): TraceParent | null {
  if (typeof header !== "string" || header.length > 512) return null;
  const m = TRACEPARENT.exec(header.trim());
  if (!m) return null;
  const [, version, traceId, parentId, flags, rest] = m as unknown as [string, string, string, string, string, string | undefined];
  if (version === "ff" || (version === "00" && rest !== undefined)) return null;
  if (traceId === ZEROS_32 || parentId === ZEROS_16) return null;
  return { traceId, parentId, sampled: (parseInt(flags, 16) & 1) === 1 };
}
