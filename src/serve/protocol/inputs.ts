// How the predict routes read inputs: the input contract's mode (lenient or strict) and what a batch with
// rows that cannot be scored does (refuse it, or skip those rows and name them).
import type { InputRule } from "../../model/input/contract.js";
import type { Value } from "../../model/index.js";
import { ON_INVALID, type InputPolicy, type OnInvalid } from "../runtime/options.js";

// The policy of one request: the server's, with `?on_invalid=skip|fail` from the query string when given.
export function requestPolicy(server: InputPolicy, query: unknown): InputPolicy | string {
  const given = query && typeof query === "object" ? (query as Record<string, unknown>).on_invalid : undefined;
  if (given === undefined) return server;
  if (typeof given === "string" && (ON_INVALID as readonly string[]).includes(given)) return { ...server, onInvalid: given as OnInvalid };
  return `on_invalid: expected "fail" or "skip", got ${JSON.stringify(given)}`;
}

// Unseen categorical values per input of one request, for the mlship_unseen_values_total metric.
export class UnseenCounts {
  readonly byInput = new Map<string, number>();

  add(input: string, n = 1): void {
    this.byInput.set(input, (this.byInput.get(input) ?? 0) + n);
  }
}

// Casts a column of JSON values (an OIP tensor's data) through its rule; a refused value marks its row bad
// and is handed to `refuse` with the reason. Returns the cast values (null where refused).
export function castColumn(rule: InputRule, data: readonly unknown[], bad: Uint8Array, unseen: UnseenCounts, refuse: (row: number, reason: string) => void): Value[] {
  const out = new Array<Value>(data.length);
  let unseenCount = 0;
  for (let r = 0; r < data.length; r++) {
    const v = rule.cast(data[r]);
    if (v === undefined) {
      refuse(r, rule.why(data[r]));
      bad[r] = 1;
      out[r] = null;
    } else {
      out[r] = v;
      if (rule.unseen(v)) unseenCount++;
    }
  }
  if (unseenCount) unseen.add(rule.column.name, unseenCount);
  return out;
}
