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
      train: false,
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
    expect(o.ok && !o.train && o.line).toContain("churn@4");
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

  it("new data: train the child in the algorithm's default mode, with the plan", () => {
    expect(outcome({})).toEqual({ ok: true, train: true, mode: "exact", plan: NEW });
  });

  it("new data with update.mode set: that mode, when the parent's state enables it", () => {
    expect(outcome({ specMode: "retrain" })).toMatchObject({ ok: true, train: true, mode: "retrain" });
  });

  it("a mode the state does not enable: E_UPDATE_MODE (exit 2) naming the modes it does and the new files, never another mode", () => {
    const o = outcome({ parent: { model: "churn", version: 3, algorithm: "linear_regression", updateModes: ["retrain"] } });
    expect(o).toMatchObject({ ok: false, code: "E_UPDATE_MODE", details: ["new: file:///data/churn/d.csv"] });
    expect(!o.ok && o.message).toBe("churn@3 (linear_regression): its training state does not enable the default update mode exact (it enables retrain: set update.mode to one of them)");
    expect(exitCodeOf("E_UPDATE_MODE")).toBe(2);
  });

  it("update.mode that is not one of the algorithm's: E_UPDATE_MODE listing the algorithm's modes", () => {
    const o = outcome({ specMode: "streaming" });
    expect(o).toMatchObject({ ok: false, code: "E_UPDATE_MODE" });
    expect(!o.ok && o.message).toContain("update.mode streaming is not a mode of this algorithm (it has: exact, retrain)");
  });
});

describe("chooseMode", () => {
  it.each([
    [["laplace", "warm", "retrain"], ["laplace", "warm", "retrain"], undefined, "laplace"], // the default: the catalogue's first
    [["laplace", "warm", "retrain"], ["warm", "retrain"], "warm", "warm"],
    [["exact", "retrain"], ["exact", "retrain"], "retrain", "retrain"],
  ])("catalogue %j, state %j, update.mode %s -> %s", (catalogue, state, spec, mode) => {
    expect(chooseMode(state, catalogue, spec)).toEqual({ ok: true, mode });
  });

  it("never falls back: the default not enabled by the state is refused, not replaced", () => {
    expect(chooseMode(["warm", "retrain"], ["laplace", "warm", "retrain"])).toMatchObject({ ok: false, code: "E_UPDATE_MODE" });
  });

  it("no state, or a state with no mode, is refused as E_UPDATE_NO_STATE", () => {
    expect(chooseMode(undefined, ["exact"])).toMatchObject({ ok: false, code: "E_UPDATE_NO_STATE" });
    expect(chooseMode([], ["exact"])).toMatchObject({ ok: false, code: "E_UPDATE_NO_STATE" });
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
