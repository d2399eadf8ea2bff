// Reads the SDK's errors (without importing the SDK) and turns failures into store errors naming the endpoint.
import { FatalError } from "../errors.js";
import { endpointName, type S3Settings } from "./s3-config.js";

interface SdkError {
  name?: string;
  code?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number; attempts?: number };
}

// The HTTP status S3 answered with, or undefined when no answer came (network failure).
export const statusOf = (err: unknown): number | undefined => (err as SdkError | undefined)?.$metadata?.httpStatusCode;

export const errorName = (err: unknown): string | undefined => (err as SdkError | undefined)?.name;

// How many times the SDK sent the request (more than 1: it retried).
export const attemptsOf = (err: unknown): number => (err as SdkError | undefined)?.$metadata?.attempts ?? 1;

const NETWORK = /^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|ENOTFOUND|EAI_AGAIN|EPIPE|TimeoutError|RequestTimeout)$/;

// A network failure (no HTTP answer, or an answer cut off): worth another attempt.
export const isNetworkFailure = (err: unknown): boolean => statusOf(err) === undefined && NETWORK.test((err as SdkError | undefined)?.code ?? errorName(err) ?? "");

// A store error naming the operation, the object and the endpoint; unreachable servers get their own code.
// `attempts` overrides the SDK's count when mlship itself retried (a response body cut off mid-way).
export function s3Failure(err: unknown, op: string, uri: string, settings: S3Settings, attempts?: number): FatalError {
  if (err instanceof FatalError) return err;
  const e = (err ?? {}) as SdkError;
  const endpoint = endpointName(settings);
  attempts ??= e.$metadata?.attempts;
  const tries = attempts && attempts > 1 ? ` after ${attempts} attempts` : "";
  const status = statusOf(err);
  if (status === undefined && NETWORK.test(e.code ?? e.name ?? "")) {
    return new FatalError(`S3 endpoint ${endpoint} is unreachable (${e.code ?? e.name}${tries}) during ${op} ${uri}`, "E_STORE_UNREACHABLE", { cause: err });
  }
  const what = status === undefined ? `${e.name ?? "Error"}` : `${e.name ?? "error"} (HTTP ${status})`;
  return new FatalError(`S3 ${op} ${uri} failed at ${endpoint}: ${what}${tries}${e.message ? `: ${e.message}` : ""}`, "E_STORE", { cause: err });
}
