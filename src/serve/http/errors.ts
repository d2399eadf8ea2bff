// The HTTP side of errors: the JSON error body every refusal is sent as, and fastify's own errors mapped to mlship's codes.
import { CODES, HttpError } from "../protocol/errors.js";

// The JSON body of an error response: {"error": {"code", "message", "fields"?, "requestId"?}}.
export function errorBody(err: HttpError, requestId?: string): string {
  return JSON.stringify({ error: { code: err.code, message: err.message, ...(err.fields?.length ? { fields: err.fields } : {}), ...(requestId ? { requestId } : {}) } });
}

// Maps anything a route or fastify throws to an HttpError; unknown errors become a 500.
export function toHttpError(err: unknown): HttpError {
  if (err instanceof HttpError) return err;
  const e = err as { code?: string; statusCode?: number; message?: string };
  switch (e?.code) {
    case "FST_ERR_CTP_BODY_TOO_LARGE":
      return new HttpError(413, CODES.tooLarge, "the request body is larger than the server's limit (see --body-limit)");
    case "FST_ERR_CTP_INVALID_MEDIA_TYPE":
      return new HttpError(415, CODES.mediaType, "send the body as JSON (content-type: application/json) or, to /v1/models/{m}/predict, as an Arrow IPC stream (content-type: application/vnd.apache.arrow.stream)");
    case "FST_ERR_CTP_EMPTY_JSON_BODY":
    case "FST_ERR_CTP_INVALID_JSON_BODY":
      return new HttpError(400, CODES.badJson, "the request body is not valid JSON");
    case "FST_ERR_BAD_URL":
      return new HttpError(400, CODES.badUrl, "the path is not valid percent-encoding");
    case "FST_ERR_MAX_PARAM_LENGTH":
      return new HttpError(414, CODES.uriTooLong, "a part of the path is too long (a model name or version is at most 256 characters)");
  }
  const status = e?.statusCode;
  if (typeof status === "number" && status >= 400 && status < 500) return new HttpError(status, CODES.badRequest, e.message ?? "bad request");
  return new HttpError(500, CODES.internal, "internal error; the server log has the details");
}
