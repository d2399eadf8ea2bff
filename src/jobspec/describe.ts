// Words for what was found ("got ..."), never echoing a secret.
import { isSecret, type Node } from "./tree.js";

const MAX_SHOWN = 60;

// What a value is, for messages: "lots" in quotes, 5, true, a list, a map, nothing.
export function describeValue(value: unknown, secret = false): string {
  if (value === undefined || value === null) return "nothing";
  if (secret) return "a secret value";
  if (typeof value === "string") {
    const shown = value.length > MAX_SHOWN ? `${value.slice(0, MAX_SHOWN)}…` : value;
    return JSON.stringify(shown);
  }
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (Array.isArray(value)) return value.length === 0 ? "an empty list" : "a list";
  if (typeof value === "object") return "a map";
  return typeof value;
}

// describeValue for a tree node (or nothing).
export function describeNode(node: Node | undefined): string {
  if (!node) return "nothing";
  if (node.kind === "seq") return node.items.length === 0 ? "an empty list" : "a list";
  if (node.kind === "map") return "a map";
  return describeValue(node.value, isSecret(node));
}

// "a string", "an integer", ... for a zod type name.
export function describeType(type: string): string {
  switch (type) {
    case "string": return "a string";
    case "number": return "a number";
    case "int": return "an integer";
    case "integer": return "an integer";
    case "boolean": return "true or false";
    case "object": return "a map";
    case "record": return "a map";
    case "map": return "a map";
    case "array": return "a list";
    default: return type;
  }
}
