// Malformed model, alias, job and run references exit 2 with a clear message on every command that takes one,
// before the store is touched: no raw ENAMETOOLONG, no "invalid store key".
import { describe, expect, it } from "vitest";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { cliInProcess } from "../helpers/cli-in-process.js";
import { checkModelRef } from "../../src/registry/index.js";
import { tempDir } from "../helpers/tmp.js";

const work = tempDir("mlship-cli-refs-");

const cli = (args: string[]) => cliInProcess(args, {}, work);

const long = "a".repeat(5000);
const store = () => ["--store", join(work, "store")];

// [command line, what the message must say]
const cases: [string[], RegExp][] = [
  [["models", "show", "../x@1"], /malformed reference "\.\.\/x@1": the model name "\.\.\/x" is not/],
  [["models", "show", "a/b"], /the model name "a\/b" is not/],
  [["models", "show", ""], /the model name is empty/],
  [["models", "show", "@1"], /the model name is empty/],
  [["models", "show", "churn\u0007@1"], /the model name "churn\\u0007" is not/],
  [["models", "show", `churn@${long}`], /the alias is 5000 characters long; at most 64/],
  [["models", "show", `${"m".repeat(201)}@1`], /the model name is 201 characters long; at most 64/],
  [["models", "show", "churn@1@2"], /more than one '@'/],
  [["models", "show", "churn@99999999999999999999"], /is not a version number/],
  [["models", "versions", "../x"], /the model name "\.\.\/x" is not/],
  [["models", "delete", "../x@1"], /malformed reference/],
  [["alias", "set", `churn@${long}`, "1"], /the alias is 5000 characters long/],
  [["alias", "set", "churn@../prod", "1"], /the alias "\.\.\/prod" is not/],
  [["alias", "history", "a/b@production"], /malformed reference/],
  [["promote", "../x@1", "--to", "production"], /malformed reference/],
  [["promote", "churn@1", "--to", long], /the alias is 5000 characters long/],
  [["rollback", "churn@a/b"], /the alias "a\/b" is not/],
  [["tag", "../x@1", "k=v"], /malformed reference/],
  [["predict", "../x@1", "-i", "in.csv", "-o", "out.csv"], /malformed reference/],
  [["predict", `churn@${long}`, "-i", "in.csv", "-o", "out.csv"], /the alias is 5000 characters long/],
  [["serve", "--model", `churn@${long}`, "--port", "0"], /--model: malformed reference .*the alias is 5000 characters long/],
  [["serve", "--model", "../x@1", "--port", "0"], /--model: malformed reference "\.\.\/x@1"/],
  [["runs", "show", "../x"], /malformed run reference "\.\.\/x"/],
  [["runs", "logs", `churn/${long}`], /malformed run reference/],
  [["runs", "list", "--job", "../x"], /the job name "\.\.\/x" is not/],
];

describe("malformed references", () => {
  it.each(cases.map(([args, says]) => [args.map((a) => (a.length > 20 ? `<${a.length} chars>` : JSON.stringify(a))).join(" "), args, says] as const))("mlship %s exits 2 with a clear message", async (_label, args, says) => {
    const r = await cli([...args, ...store()]);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(says);
    expect(r.stderr).not.toMatch(/ENAMETOOLONG|invalid store key|E_INTERNAL/);
    expect(r.stderr.length).toBeLessThan(1000); // a 5,000-character name is not echoed whole
    if (args[0] !== "serve") {
      const json = await cli([...args, ...store(), "--json"]);
      expect(json.code).toBe(2);
      expect(JSON.parse(json.stdout)).toMatchObject({ ok: false, error: { code: "E_USAGE" } });
    }
    expect(existsSync(join(work, "store"))).toBe(false); // the store was never written to
  });

  it.each([
    ["churn", { model: "churn", selector: { latest: true } }],
    ["churn@latest", { model: "churn", selector: { latest: true } }],
    ["churn@3", { model: "churn", selector: { version: 3 } }],
    ["churn.v2_a-b@prod-1.x", { model: "churn.v2_a-b", selector: { alias: "prod-1.x" } }],
    [`${"m".repeat(64)}@${"a".repeat(64)}`, { model: "m".repeat(64), selector: { alias: "a".repeat(64) } }],
  ])("accepts %s", (ref, parsed) => {
    expect(checkModelRef(ref)).toEqual({ ok: true, ref: parsed });
  });
});
