// The HttpError a route function throws (any other error, or none, fails the test).
import { HttpError } from "../../src/serve/protocol/errors.js";

export function thrown(f: () => unknown): HttpError {
  try {
    f();
  } catch (err) {
    if (err instanceof HttpError) return err;
    throw err;
  }
  throw new Error("expected an HttpError");
}
