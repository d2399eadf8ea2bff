// Below the routes: connection timeouts, and the answers Node gives before fastify sees a request (parser
// errors, timeouts), sent in mlship's error shape instead of Node's or fastify's own words.
import { STATUS_CODES, maxHeaderSize, type IncomingMessage, type Server, type ServerOptions, type ServerResponse } from "node:http";
import type { Socket } from "node:net";
import { CODES, HttpError } from "../protocol/errors.js";
import { errorBody } from "./errors.js";
import type { Timeouts } from "../runtime/options.js";
import { redactUrl, type Logger } from "../runtime/log.js";
import { requestIdOf, REQUEST_ID_HEADER } from "./request-id.js";
import { traceFields } from "./access-log.js";

// How often Node checks the request and headers timeouts (its default, 30 s, would let them overrun by that much).
const CHECK_EVERY_MS = 1000;
// After an answer from here, how long the client has to read it before the connection is cut.
const LINGER_MS = 1000;

// The fastify options that set the timeouts on its Node server.
export function timeoutOptions(t: Timeouts): { requestTimeout: number; keepAliveTimeout: number; connectionTimeout: number; http: ServerOptions } {
  return {
    requestTimeout: t.requestMs,
    keepAliveTimeout: t.keepAliveMs,
    connectionTimeout: t.idleMs, // the socket idle timer; guardConnections decides what an idle socket gets
    http: { requestTimeout: t.requestMs, headersTimeout: t.headersMs, keepAliveTimeout: t.keepAliveMs, connectionsCheckingInterval: CHECK_EVERY_MS },
  };
}

const seconds = (ms: number) => `${ms / 1000}s`;

// What a Node client error (from its HTTP parser, or its request/headers timeout) is answered with;
// `headersIn`: the request's headers had arrived.
export function clientProblem(err: NodeJS.ErrnoException & { reason?: string }, t: Timeouts, headersIn: boolean): HttpError {
  switch (err.code) {
    case "ERR_HTTP_REQUEST_TIMEOUT":
      return headersIn
        ? new HttpError(408, CODES.timeout, `the whole request did not arrive within ${seconds(t.requestMs)} (--request-timeout)`)
        : new HttpError(408, CODES.timeout, `the request line and headers did not arrive within ${seconds(Math.min(t.headersMs, t.requestMs))} (--headers-timeout)`);
    case "HPE_HEADER_OVERFLOW":
      return new HttpError(431, CODES.headersTooLarge, `the request line and headers are larger than ${maxHeaderSize} bytes`);
    case "HPE_INVALID_EOF_STATE":
      return new HttpError(400, CODES.incomplete, "the client closed the connection before the whole request arrived (a body shorter than its content-length?)");
    default:
      return new HttpError(400, CODES.badHttp, `the request is not valid HTTP/1.1: ${err.reason ?? err.message} (${err.code ?? "unknown"})`);
  }
}

// The request a socket is receiving or answering, and how many bytes it had read when it last answered.
interface SocketState {
  req: IncomingMessage | null;
  res: ServerResponse | null;
  readAtLastAnswer: number;
}

// Installs the idle-timeout decision and returns fastify's clientErrorHandler; both answer in mlship's shape.
export function guardConnections(server: Server, t: Timeouts, log: Logger): (err: NodeJS.ErrnoException, socket: Socket) => void {
  const states = new WeakMap<Socket, SocketState>();
  const stateOf = (socket: Socket) => states.get(socket) ?? states.set(socket, { req: null, res: null, readAtLastAnswer: 0 }).get(socket)!;

  server.on("request", (req: IncomingMessage, res: ServerResponse) => {
    const s = stateOf(req.socket);
    s.req = req;
    s.res = res;
    res.once("finish", () => {
      s.readAtLastAnswer = req.socket.bytesRead;
      if (s.res === res) s.req = s.res = null;
    });
  });

  // Answers and closes: the answer goes out with FIN, and the connection is cut if the client does not close it.
  const refuse = (socket: Socket, e: HttpError, reason: string) => {
    if (socket.destroyed) return;
    if (socket.writableEnded || !socket.writable) return void socket.destroy();
    const { req } = stateOf(socket);
    const id = requestIdOf(req?.headers[REQUEST_ID_HEADER]); // printable, no spaces: safe in the header line
    log.warn("request refused", { id, ...traceFields(req?.headers.traceparent), status: e.status, code: e.code, reason, method: req?.method, url: redactUrl(req?.url), remote: socket.remoteAddress });
    const body = errorBody(e);
    socket.end(`HTTP/1.1 ${e.status} ${STATUS_CODES[e.status]}\r\ncontent-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\n${REQUEST_ID_HEADER}: ${id}\r\nconnection: close\r\n\r\n${body}`);
    setTimeout(() => socket.destroy(), LINGER_MS).unref();
  };

  // The socket idle timer (--idle-timeout while a request arrives, --keep-alive-timeout between requests).
  server.on("timeout", (socket: Socket) => {
    const { req, res, readAtLastAnswer } = stateOf(socket);
    if (req?.complete && res) {
      if (res.headersSent) socket.destroy(); // an answer the client does not read
      return; // else the request is in and its answer is being worked out: not the client's delay
    }
    if (req || socket.bytesRead > readAtLastAnswer) {
      refuse(socket, new HttpError(408, CODES.timeout, `nothing arrived for ${seconds(t.idleMs)} before the request was complete (--idle-timeout)`), "idle");
    } else {
      socket.destroy(); // an idle connection between requests (keep-alive) or one that never sent anything
    }
  });

  return (err, socket) => {
    if (err.code === "ECONNRESET" || err.code === "EPIPE" || socket.destroyed) return void socket.destroy();
    const s = stateOf(socket);
    if (s.res?.headersSent) return void socket.destroy(); // an answer is half out: bytes of ours would corrupt it
    if (err.code === "ERR_HTTP_REQUEST_TIMEOUT" && !s.req && socket.bytesRead === s.readAtLastAnswer) return void socket.destroy(); // nothing was asked
    refuse(socket, clientProblem(err, t, s.req !== null), err.code ?? "client error");
  };
}
