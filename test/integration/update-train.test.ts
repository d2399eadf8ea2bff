// `mlship update` training children on real local Spark: an exact linear-regression chain (two updates) scores like a
// full retrain on every file, the ledger and lineage name what each child consumed, a retried update registers
// nothing, a mode the algorithm lacks is refused before Spark, a stopped update registers nothing, and a third update
// continues the chain.
import { beforeAll, describe, expect, it } from "vitest";
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { mlship, mlshipChild, projectRoot } from "../helpers/cli.js";
import { tempDir } from "../helpers/tmp.js";

const work = tempDir("mlship-update-train-");
const data = join(work, "data", "houses");
const hold = join(work, "data"); // new files wait here, outside data.train (Spark would read any file in it)
const store = join(work, "store");
const python = join(projectRoot, ".venv", "bin", "python");

// house_prices without missing values (a frozen imputer's mean would differ from a full fit's), in three files:
// the history and two days of new data, the second with prices shifted (drift).
function writeData(): void {
  execFileSync(python, ["-c", `
import pyarrow.parquet as pq, pyarrow.compute as pc, os, sys
t = pq.read_table(sys.argv[1])
for c in t.column_names:
    t = t.filter(pc.is_valid(t[c]))
os.makedirs(sys.argv[2], exist_ok=True)
n = t.num_rows
pq.write_table(t.slice(0, n // 2), os.path.join(sys.argv[2], "part-0.parquet"))
pq.write_table(t.slice(n // 2, n // 4), os.path.join(sys.argv[3], "day-1.parquet"))
late = t.slice(n // 2 + n // 4)
late = late.set_column(late.schema.get_field_index("price"), "price", pc.multiply(late["price"], 1.1))
pq.write_table(late, os.path.join(sys.argv[3], "day-2.parquet"))
pq.write_table(t.slice(0, 300), os.path.join(sys.argv[2], "..", "score.parquet"))
`, join(projectRoot, "data", "house_prices", "part-0.parquet"), data, hold]);
}

function writeSpec(name: string, extra = ""): string {
  const file = join(work, `${name}.yaml`);
  writeFileSync(file, `name: houses
model:
  algorithm: linear_regression
  params: { regParam: 0.1, solver: normal }
  label: price
  features:
    numeric: [area_sqm, rooms, age_years, distance_km]
    categorical: [city]
    scale: true
data:
  train: ${data}
  validation: { fraction: 0.25, seed: 11 }
spark:
  master: local[2]
  conf: { spark.sql.shuffle.partitions: 2, spark.ui.enabled: false, spark.ui.showConsoleProgress: false }
parity: { rows: 200 }
${extra}`);
  return file;
}

const version = (v: number) => JSON.parse(readFileSync(join(store, "registry", "houses", "versions", `${v}.json`), "utf8"));
const versionsNow = () => readdirSync(join(store, "registry", "houses", "versions")).length;

// Predictions of a version on the same rows, in row order.
async function predictions(ref: string): Promise<number[]> {
  const out = join(work, `${ref.replace("@", "-")}.jsonl`);
  const csv = join(work, "score.csv");
  if (!existsSync(csv)) {
    execFileSync(python, ["-c", "import pyarrow.parquet as pq, pyarrow.csv as pc, sys; pc.write_csv(pq.read_table(sys.argv[1]), sys.argv[2])", join(work, "data", "score.parquet"), csv]);
  }
  const r = await mlship(["predict", ref, "-i", csv, "-o", out, "--store", store]);
  expect(r.exitCode, r.stderr).toBe(0);
  return readFileSync(out, "utf8").trim().split("\n").map((l) => JSON.parse(l).prediction as number);
}

describe("mlship update trains children (real local Spark)", () => {
  const spec = () => writeSpec("houses");
  beforeAll(async () => {
    writeData();
    const r = await mlship(["train", spec(), "--store", store, "--quiet", "--json"]);
    expect(r.exitCode, r.stderr).toBe(0);
  }, 300_000);

  it("exact: two chained updates register children that consume only the new files and score like a full retrain", async () => {
    execFileSync("mv", [join(hold, "day-1.parquet"), join(data, "day-1.parquet")]);
    const first = await mlship(["update", spec(), "--from", "houses@1", "--store", store, "--quiet", "--json"]);
    expect(first.exitCode, first.stderr).toBe(0);
    const one = JSON.parse(first.stdout);
    expect(one).toMatchObject({ ok: true, updated: true, version: 2, parent: { version: 1 }, mode: "exact", parity: { passed: true } });
    expect(one.rows.history).toBeGreaterThan(one.rows.new);
    const v2 = version(2);
    expect(v2.lineage.parentVersion).toBe(1);
    expect(v2.lineage.updateKey).toMatch(/^[0-9a-f]{64}$/);
    expect(v2.lineage.inputFiles.map((f: { path: string }) => f.path)).toEqual([pathToFileURL(join(data, "day-1.parquet")).href.replace(/%20/g, " ")]);
    expect(v2.update).toMatchObject({ mode: "exact", parentVersion: 1 });
    expect(Object.keys(v2.update.parentMetrics)).toContain("rmse");
    expect(v2.update.shifts.length).toBe(5);

    // A retried update (cron ran twice) registers nothing.
    const again = await mlship(["update", spec(), "--from", "houses@1", "--store", store, "--quiet", "--json"]);
    expect(again.exitCode, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ updated: false, reason: "retried", version: 2 });

    execFileSync("mv", [join(hold, "day-2.parquet"), join(data, "day-2.parquet")]);
    const second = await mlship(["update", spec(), "--from", "houses@2", "--store", store, "--quiet", "--json"]);
    expect(second.exitCode, second.stderr).toBe(0);
    expect(JSON.parse(second.stdout)).toMatchObject({ version: 3, parent: { version: 2 }, mode: "exact" });
    const v3 = version(3);
    expect(v3.lineage.inputFiles.map((f: { path: string }) => f.path)).toEqual([pathToFileURL(join(data, "day-2.parquet")).href.replace(/%20/g, " ")]);
    expect(v3.update.rows.history).toBe(one.rows.history + one.rows.new);
    const shown = await mlship(["models", "show", "houses@3", "--store", store]);
    expect(shown.stdout).toMatch(/update {6}mode exact: \d+ new rows, \d+ in the history/);
    expect(shown.stdout).toMatch(/shift {7}\w+ \d+\.\d{3}/);

    const none = await mlship(["update", spec(), "--from", "houses@3", "--store", store, "--quiet"]);
    expect(none.exitCode, none.stderr).toBe(0);
    expect(none.stdout.trim()).toBe("nothing new since houses@3");

    // The reference: a full fit on every file (its own stages; with standardization, scaling and shifting the features change nothing a prediction shows).
    const full = await mlship(["train", spec(), "--store", store, "--quiet", "--json"]);
    expect(full.exitCode, full.stderr).toBe(0);
    expect(JSON.parse(full.stdout).version).toBe(4);
    const [chained, retrained] = [await predictions("houses@3"), await predictions("houses@4")];
    expect(chained.length).toBe(300);
    chained.forEach((p, i) => expect(Math.abs(p - retrained[i]!) / Math.max(1, Math.abs(retrained[i]!))).toBeLessThan(1e-8));
  }, 900_000);

  it("a mode the algorithm does not have is refused before Spark starts (E_UPDATE_MODE, exit 2)", async () => {
    execFileSync("cp", [join(data, "day-1.parquet"), join(data, "day-3.parquet")]); // new: a path no version consumed
    const before = versionsNow();
    const r = await mlship(["update", writeSpec("streaming", "update: { mode: streaming }\n"), "--from", "houses@4", "--store", store, "--quiet", "--json"]);
    expect(r.exitCode, r.stdout).toBe(2);
    expect(JSON.parse(r.stdout).error).toMatchObject({ code: "E_UPDATE_MODE", message: expect.stringContaining("update.mode streaming is not a mode of this algorithm") });
    expect(versionsNow()).toBe(before);
  });

  it("an update stopped mid-run registers nothing and its run says killed; the third update of the chain then takes its data", async () => {
    const before = versionsNow();
    const child = mlshipChild(["update", spec(), "--from", "houses@4", "--store", store, "--quiet"]);
    const runs = join(store, "runs", "houses");
    const started = readdirSync(runs).length;
    for (let i = 0; i < 600 && readdirSync(runs).length === started; i++) await new Promise((r) => setTimeout(r, 100));
    await new Promise((r) => setTimeout(r, 3000)); // Spark is starting
    child.kill("SIGTERM");
    const result = await child;
    expect(result.exitCode).toBe(130);
    expect(versionsNow()).toBe(before);
    const newest = readdirSync(runs).sort().at(-1)!;
    expect(JSON.parse(readFileSync(join(runs, newest, "run.json"), "utf8")).status).toBe("killed");

    // The killed run consumed nothing: the next update of the chain (its third) takes day-3 from houses@3.
    const third = await mlship(["update", spec(), "--from", "houses@3", "--store", store, "--quiet", "--json"]);
    expect(third.exitCode, third.stderr).toBe(0);
    const out = JSON.parse(third.stdout);
    expect(out).toMatchObject({ updated: true, parent: { version: 3 }, mode: "exact", parity: { passed: true } });
    const [v3, v5] = [version(3), version(out.version)];
    expect(v5.lineage.parentVersion).toBe(3);
    expect(v5.lineage.inputFiles.map((f: { path: string }) => f.path)).toEqual([pathToFileURL(join(data, "day-3.parquet")).href.replace(/%20/g, " ")]);
    expect(v5.update.rows.history).toBe(v3.update.rows.history + v3.update.rows.new);
    const lineage = JSON.parse((await mlship(["models", "show", `houses@${out.version}`, "--store", store, "--json"])).stdout);
    expect(lineage.ledger.files).toBe(1);
  }, 600_000);
});
