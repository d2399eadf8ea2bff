// `mlship update`'s answer for each plan: exit 0 with its JSON, or a refusal's code (its exit code) and details.
import { describe, expect, it } from "vitest";
import { exitCodeOf } from "../../src/error-codes.js";
import type { InputFile } from "../../src/ledger/index.js";
import { chooseMode, newDataLines, updateOutcome, type OutcomeInput, type UpdatePlan } from "../../src/update/index.js";

const f = (name: string): InputFile => ({ path: `file:///data/churn/${name}`, size: 10, mtime: "2026-12-01T00:00:00.000Z" });
const KEY = "k".repeat(64);
const NEW: UpdatePlan = { kind: "new", parent: "churn@3", files: [f("d.csv")], predicate: null, listingTells: true, key: KEY };
const outcome = (over: Partial<OutcomeInput>) =>
  updateOutcome({
    plan: NEW,
    parent: { model: "churn", version: 3, algorithm: "linear_regression", updateModes: ["exact", "retrain"] },
    retried: null,
    catalogueModes: ["exact", "retrain"],
    specFile: "jobs/churn.yaml",
    ...over,
  });

describe("updateOutcome", () => {
  it("nothing new: exit 0, one line, updated false with the parent and the reason", () => {
    const o = outcome({ plan: { kind: "nothing-new", parent: "churn@3", message: "nothing new since churn@3" } });
    expect(o).toEqual({
      ok: true,
      line: "nothing new since churn@3",
      json: { ok: true, updated: false, parent: { model: "churn", version: 3 }, reason: "nothing-new", message: "nothing new since churn@3" },
    });
  });

  it("nothing new even when the parent has no training state: there is nothing to do", () => {
    expect(outcome({ plan: { kind: "nothing-new", parent: "churn@3", message: "nothing new since churn@3" }, parent: { model: "churn", version: 3, algorithm: "linear_regression" } }).ok).toBe(true);
  });

  it("a retried update: exit 0, updated false, naming the child already registered", () => {
    const o = outcome({ retried: 4 });
    expect(o).toMatchObject({ ok: true, json: { ok: true, updated: false, reason: "retried", version: 4, updateKey: KEY, parent: { model: "churn", version: 3 } } });
    expect(o.ok && o.line).toContain("churn@4");
  });

  it.each([
    [{ kind: "overlap", parent: "churn@3", message: "1 consumed file changed", details: ["file:///data/churn/a.csv: size 10 -> 12"] } as UpdatePlan, "E_UPDATE_OVERLAP", ["file:///data/churn/a.csv: size 10 -> 12"]],
    [{ kind: "refused", parent: "churn@3", message: "data.train: cannot be listed" } as UpdatePlan, "E_UPDATE_REFUSED", []],
  ])("a %# refusal of the plan keeps its message and paths, exit 2", (plan, code, details) => {
    const o = outcome({ plan });
    expect(o).toEqual({ ok: false, code, message: (plan as { message: string }).message, details });
    expect(exitCodeOf(code as "E_UPDATE_OVERLAP")).toBe(2);
  });

  it("a parent without training state: E_UPDATE_NO_STATE with the command that fixes it", () => {
    const o = outcome({ parent: { model: "churn", version: 3, algorithm: "linear_regression" } });
    expect(o).toMatchObject({ ok: false, code: "E_UPDATE_NO_STATE" });
    expect(!o.ok && o.message).toContain("`mlship train jobs/churn.yaml`");
    expect(exitCodeOf("E_UPDATE_NO_STATE")).toBe(2);
  });

  it("new data: E_UPDATE_MODE (exit 2) naming the mode and each new file", () => {
    const o = outcome({});
    expect(o).toMatchObject({ ok: false, code: "E_UPDATE_MODE", details: ["new: file:///data/churn/d.csv"] });
    expect(!o.ok && o.message).toContain('update mode "exact" (linear_regression) is not built yet');
    expect(exitCodeOf("E_UPDATE_MODE")).toBe(2);
  });
});

describe("chooseMode", () => {
  it.each([
    [["laplace", "warm", "retrain"], ["retrain", "warm"], "warm"], // catalogue order decides among the enabled modes
    [["exact", "retrain"], ["exact", "retrain"], "exact"],
    [["exact", "retrain"], ["streaming"], "streaming"], // a mode the catalogue does not list: the state's first
  ])("catalogue %j, state %j -> %s", (catalogue, state, mode) => {
    expect(chooseMode(state, catalogue)).toEqual({ ok: true, mode });
  });

  it("no state, or a state with no mode, is refused", () => {
    expect(chooseMode(undefined, ["exact"]).ok).toBe(false);
    expect(chooseMode([], ["exact"]).ok).toBe(false);
  });
});

describe("newDataLines", () => {
  it("names five files, then a count, then the predicate", () => {
    const files = ["a", "b", "c", "d", "e", "f", "g"].map(f);
    expect(newDataLines(files, { column: "day", value: "2026-12-01" }, false)).toEqual([
      ...["a", "b", "c", "d", "e"].map((n) => `new: file:///data/churn/${n}`),
      "… and 2 more new files",
      'rows where day > "2026-12-01" (the listing cannot tell which files hold them; Spark would)',
    ]);
  });
});
