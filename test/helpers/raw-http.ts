// HTTP/1.1 over a raw TCP socket, for requests no HTTP client will send: dripped or short bodies, bad chunked
// encoding, oversized or malformed request lines and headers.
import { connect } from "node:net";

export interface RawAnswer {
  ms: number; // from connecting until the server closed the connection (or until `giveUpMs`)
  status: number | null; // null: no HTTP answer came back
  headers: Record<string, string>;
  json: any;
  text: string;
}

// A step of a raw request: bytes to send, or a pause in milliseconds.
export type Step = string | number;

// Sends the steps on a new connection (then half-closes if `halfClose`) and collects what comes back until the
// server closes the connection, or `giveUpMs` passes. Writing stops once the server has answered.
export function rawRequest(url: string, steps: Step[], opts: { halfClose?: boolean; giveUpMs?: number } = {}): Promise<RawAnswer> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const started = Date.now();
    const socket = connect(Number(port), hostname);
    let text = "";
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      clearTimeout(giveUp);
      socket.destroy();
      resolve(parse(text, Date.now() - started));
    };
    const giveUp = setTimeout(finish, opts.giveUpMs ?? 15_000);
    socket.setEncoding("latin1");
    socket.on("data", (d: string) => (text += d));
    socket.on("error", () => undefined); // a reset after the answer is fine; no answer shows as status null
    socket.on("close", finish);
    socket.once("connect", async () => {
      for (const step of steps) {
        if (done || text) return;
        if (typeof step === "number") await new Promise((r) => setTimeout(r, step));
        else socket.write(step, "latin1");
      }
      if (opts.halfClose && !done) socket.end();
    });
  });
}

function parse(text: string, ms: number): RawAnswer {
  const head = text.indexOf("\r\n\r\n");
  const m = /^HTTP\/1\.1 (\d{3}) /.exec(text);
  if (!m || head < 0) return { ms, status: null, headers: {}, json: null, text };
  const headers: Record<string, string> = {};
  for (const line of text.slice(0, head).split("\r\n").slice(1)) {
    const colon = line.indexOf(":");
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  const body = text.slice(head + 4);
  let json: unknown = null;
  try {
    json = JSON.parse(body);
  } catch {
    /* not JSON */
  }
  return { ms, status: Number(m[1]), headers, json, text };
}
