// docs/scheduling.md stays true: every recipe file is there and parses, every mlship command in it parses against
// the real command line, each scheduler treats the exit codes as the page says, and no secret is on a command line.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Command } from "commander";
import { parse as shellParse } from "shell-quote";
import { describe, expect, it } from "vitest";
import { parse as yamlParse } from "yaml";
import { COMMANDS } from "../../src/cli/commands/index.js";
import type { Context } from "../../src/cli/context.js";
import type { CommandTreeEntry } from "../../src/cli/define.js";
import { addCommandTree } from "../../src/cli/program.js";
import { cronProblem } from "../../src/render/index.js";
import { docFiles } from "../helpers/doc-blocks.js";

const root = join(import.meta.dirname, "..", "..");
const page = readFileSync(join(root, "docs", "scheduling.md"), "utf8");
const files = docFiles("docs/scheduling.md");
const file = (name: string) => {
  const text = files.get(name);
  if (text === undefined) throw new Error(`docs/scheduling.md has no file block ${name}`);
  return text;
};

const quietContext = (): Context => ({
  cwd: root,
  env: {},
  stdout: { write: () => true },
  stderr: { write: () => true },
  isTTY: false,
  projectRoot: root,
  now: () => new Date("2026-11-27T08:00:00Z"),
});

// Parses mlship's arguments with the real command tree, handlers swapped for a recorder; answers the command reached.
async function reached(args: string[]): Promise<string[]> {
  const hits: string[] = [];
  const tree: CommandTreeEntry[] = COMMANDS.map((e) =>
    e.kind === "group"
      ? { ...e, commands: e.commands.map((c) => ({ ...c, load: async () => async () => (hits.push(`${e.name} ${c.name}`), 0) })) }
      : { ...e, load: async () => async () => (hits.push(e.name), 0) },
  );
  const program = new Command("mlship").exitOverride().configureOutput({ writeOut: () => undefined, writeErr: () => undefined });
  addCommandTree(program, tree, quietContext(), { code: 0 });
  await program.parseAsync(args, { from: "user" });
  return hits;
}

// mlship's arguments on each shell line of a recipe that runs it (`bin/mlship …`, `"$MLSHIP" …`), up to a redirection or pipe.
function shellCommands(text: string): string[][] {
  const vars: Record<string, string> = { MLSHIP: "mlship", SPEC: "jobs/churn.yaml", FROM: "churn@production" };
  const out: string[][] = [];
  for (const line of text.replace(/\\\n/g, " ").split("\n")) {
    if (/^\s*#/.test(line)) continue; // a comment
    if (!/(mlship|\$MLSHIP)"?\s+(train|update|render)\s+\S/.test(line)) continue; // a command with arguments, not a step's name
    // A YAML list item's dash, and a command substitution around the command (out=$(…)), are not mlship's.
    const bare = line.replace(/^\s*-\s+/, "").replace(/^\s*\w+=\$\((.*)\)\s*$/, "$1");
    const words = shellParse(bare, (name) => vars[name] ?? `$${name}`);
    const start = words.findIndex((w) => typeof w === "string" && /(^|\/)mlship$/.test(w) && typeof words[words.indexOf(w) + 1] === "string" && /^(train|update|render)$/.test(String(words[words.indexOf(w) + 1])));
    if (start < 0) continue;
    const end = words.findIndex((w, i) => i > start && typeof w !== "string");
    const args = words.slice(start + 1, end < 0 ? undefined : end).map(String);
    // `2>>file`: the 2 belongs to the redirection.
    if (end >= 0 && /^\d$/.test(args[args.length - 1] ?? "")) args.pop();
    out.push(args);
  }
  return out;
}

describe("docs/scheduling.md", () => {
  it("has a complete file for each scheduler", () => {
    expect([...files.keys()].sort()).toEqual(
      [
        "/usr/local/bin/mlship-nightly",
        "/etc/cron.d/mlship-churn",
        "/etc/systemd/system/mlship-churn.service",
        "/etc/systemd/system/mlship-churn.timer",
        ".github/workflows/mlship-nightly.yml",
        ".gitlab-ci.yml",
        "Dockerfile",
        "mlship-churn-cronjob.yaml",
      ].sort(),
    );
  });

  it("every mlship command line in the recipes and the examples parses and reaches train, update or render", async () => {
    const commands = [
      ...[...files.values()].flatMap(shellCommands),
      ...[...page.matchAll(/```sh\n([\s\S]*?)```/g)].flatMap((m) => shellCommands(m[1] as string)),
      (yamlParse(file("mlship-churn-cronjob.yaml")).spec.jobTemplate.spec.template.spec.containers[0].args as string[]),
    ];
    expect(commands.length).toBeGreaterThanOrEqual(9);
    for (const args of commands) {
      expect(await reached(args), args.join(" ")).toEqual([args[0]]);
      if (args[0] !== "render") expect(args, args.join(" ")).toEqual(expect.arrayContaining(["--json", "--quiet"]));
      // Secrets reach mlship through the environment only.
      expect(args.join(" "), "a secret on a command line").not.toMatch(/password|secret|token|key=/i);
    }
  });

  it("the exit-code table names exactly README's exit codes", () => {
    const codes = (text: string) => [...text.matchAll(/^\| (\d+) \|/gm)].map((m) => Number(m[1]));
    const readme = readFileSync(join(root, "README.md"), "utf8");
    const readmeCodes = codes(readme.slice(readme.indexOf("## Exit codes")));
    expect(codes(page.slice(page.indexOf("## Exit codes"), page.indexOf("## crontab"))).sort((a, b) => a - b)).toEqual(readmeCodes.sort((a, b) => a - b));
  });

  it("systemd: 3 counts as success, 2 is never restarted, a timer runs it", () => {
    const service = file("/etc/systemd/system/mlship-churn.service");
    expect(service).toMatch(/^SuccessExitStatus=3$/m);
    expect(service).toMatch(/^RestartPreventExitStatus=2$/m);
    expect(service).toMatch(/^Restart=on-failure$/m);
    expect(service).toMatch(/^EnvironmentFile=/m);
    expect(file("/etc/systemd/system/mlship-churn.timer")).toMatch(/^OnCalendar=\*-\*-\* 02:15:00$/m);
  });

  it("crontab: a valid schedule, a lock against overlap", () => {
    for (const line of file("/etc/cron.d/mlship-churn").split("\n").filter((l) => /^\d/.test(l))) {
      expect(cronProblem(line.split(/\s+/).slice(0, 5).join(" "))).toBeUndefined();
      expect(line).toContain("flock -n");
    }
  });

  it("GitHub Actions: scheduled, one at a time, secrets from the secret store, 3 a warning", () => {
    const wf = yamlParse(file(".github/workflows/mlship-nightly.yml"));
    expect(cronProblem(wf.on.schedule[0].cron)).toBeUndefined();
    expect(wf.concurrency).toEqual({ group: "mlship-churn", "cancel-in-progress": false });
    const env = wf.jobs.update.env as Record<string, string>;
    for (const k of ["AWS_SECRET_ACCESS_KEY", "DB_PASSWORD"]) expect(env[k]).toMatch(/^\$\{\{ secrets\.\w+ \}\}$/);
    const run = wf.jobs.update.steps.find((s: { id?: string }) => s.id === "run").run as string;
    expect(run).toMatch(/if \[ "\$code" -eq 0 \] \|\| \[ "\$code" -eq 3 \]; then exit 0; else exit "\$code"; fi/);
  });

  it("GitLab CI: a schedule rule, one at a time, 3 allowed, 1 and 130 retried, never 2", () => {
    const job = yamlParse(file(".gitlab-ci.yml"))["mlship-update"];
    expect(job.rules).toEqual([{ if: '$CI_PIPELINE_SOURCE == "schedule"' }]);
    expect(job.resource_group).toBe("mlship-churn");
    expect(job.allow_failure).toEqual({ exit_codes: [3] });
    expect(job.retry).toEqual({ max: 1, exit_codes: [1, 130] });
  });

  it("Kubernetes CronJob: Forbid, 2 and 3 end the Job, secrets from a Secret as environment", () => {
    const cj = yamlParse(file("mlship-churn-cronjob.yaml"));
    expect(cronProblem(cj.spec.schedule)).toBeUndefined();
    expect(cj.spec.concurrencyPolicy).toBe("Forbid");
    const job = cj.spec.jobTemplate.spec;
    expect(job.podFailurePolicy.rules).toEqual([{ action: "FailJob", onExitCodes: { containerName: "mlship", operator: "In", values: [2, 3] } }]);
    expect(job.template.spec.restartPolicy).toBe("Never");
    expect(job.template.spec.containers[0].envFrom).toEqual([{ secretRef: { name: "mlship-churn-secrets" } }]);
  });
});
