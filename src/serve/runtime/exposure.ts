// Whether `serve --host` exposes the service beyond this machine, and the warning it then needs without a token. Pure.
import { isIP } from "node:net";

// A loopback address or name: 127.0.0.0/8, ::1 (also as ::ffff:127.x), localhost.
export function isLoopback(host: string): boolean {
  const h = host.trim().toLowerCase().replace(/^\[|\]$/g, "");
  if (h === "localhost" || h.endsWith(".localhost")) return true;
  if (isIP(h) === 4) return h.startsWith("127.");
  if (isIP(h) === 6) return h === "::1" || /^(0:){7}1$/.test(h) || /^::ffff:127\./.test(h);
  return false;
}

// The start-up warning for a service other machines can reach with no --token-file; undefined when none is needed.
export function exposureWarning(host: string, hasToken: boolean): string | undefined {
  if (hasToken || isLoopback(host)) return undefined;
  const every = host === "0.0.0.0" || host === "::" ? "every interface" : host;
  return `listening on ${every} with no --token-file: anyone who can reach this port can call every model route (set --token-file; docs/serving.md "Token")`;
}
