// Which values are secret: env variables with secret-looking names, and !secret scalars.
import { eachScalar, type Node } from "./tree.js";

const SECRET_NAME = /KEY|SECRET|TOKEN|PASSWORD|CREDENTIAL/i;
const MIN_ENV_SECRET_LENGTH = 4; // shorter values would redact ordinary words and digits

// True when an env variable's name says its value is a secret (e.g. AWS_SECRET_ACCESS_KEY).
export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name);
}

// Values of every secret-named env variable (at least 4 characters), longest first, for redaction.
export function secretEnvValues(env: Record<string, string | undefined>): string[] {
  const values = Object.entries(env)
    .filter(([name, value]) => isSecretName(name) && value !== undefined && value.length >= MIN_ENV_SECRET_LENGTH)
    .map(([, value]) => value as string);
  return distinctLongestFirst(values);
}

// Secret values held by a tree: !secret scalars' values and interpolated secret env values.
export function collectSecrets(root: Node): string[] {
  const found: string[] = [];
  eachScalar(root, [], (n) => {
    if (n.tagged && n.value !== null && String(n.value) !== "") found.push(String(n.value));
    for (const s of n.secrets ?? []) found.push(s);
  });
  return distinctLongestFirst(found);
}

// Deduplicated, longest first, so a redactor replaces "abcd1234" before its substring "abcd".
export function distinctLongestFirst(values: string[]): string[] {
  return [...new Set(values.filter((v) => v !== ""))].sort((a, b) => b.length - a.length || (a < b ? -1 : a > b ? 1 : 0));
}
