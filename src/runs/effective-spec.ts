// The effective spec as a version record keeps it: every string passed through the run's redactor, so no secret value
// (a `!secret` field, a secret ${VAR}, a secret spark.env entry) is ever stored.
export function redactedSpec(spec: object, redact: (text: string) => string): Record<string, unknown> {
  return redactValue(spec) as Record<string, unknown>;

  function redactValue(value: unknown): unknown {
    if (typeof value === "string") return redact(value);
    if (Array.isArray(value)) return value.map(redactValue);
    if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [redact(k), redactValue(v)]));
    return value;
  }
}
