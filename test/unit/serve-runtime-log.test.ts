// Logs never show a request's query string (it may carry a token).
import { describe, expect, it } from "vitest";
import { redactUrl } from "../../src/serve/runtime/log.js";

describe("logs", () => {
  it.each([
    ["/v1/models/churn/predict?api_key=SECRET", "/v1/models/churn/predict?<redacted>"],
    ["/v2/models/churn?", "/v2/models/churn?<redacted>"],
    ["/v2/health/live", "/v2/health/live"],
  ])("redacts the query string of %s", (url, shown) => expect(redactUrl(url)).toBe(shown));
});
