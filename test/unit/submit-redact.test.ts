// Redaction by value and the displayed command: no secret survives, whatever field it came through.
import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { formatCommand, MASK, redactArgv, redactEnv, redactor } from "../../src/submit/index.js";
import { plan } from "../helpers/submit-fixtures.js";

describe("redactor", () => {
  it("masks every occurrence", () => {
    expect(redactor(["hunter22"])("pw=hunter22 again hunter22.")).toBe("pw=*** again ***.");
  });

  it("matches the longest secret first, so a secret inside another leaves no tail", () => {
    expect(redactor(["abcd", "abcd1234"])("x=abcd1234 y=abcd")).toBe("x=*** y=***");
  });

  it("merges overlapping secrets into one mask", () => {
    expect(redactor(["abcdef", "defghi"])("<abcdefghi>")).toBe("<***>");
    expect(redactor(["aaaa"])("aaaaaa")).toBe("***");
  });

  it("leaves values under 4 characters alone (they would mask ordinary text)", () => {
    expect(redactor(["abc", "pw", ""])("abc pw 8g")).toBe("abc pw 8g");
    expect(redactor(["abcd"])("abc abcd")).toBe(`abc ${MASK}`);
  });

  it("also masks a secret as JSON spells it inside the --job argument", () => {
    const secret = 'p"ss\\word';
    expect(redactor([secret])(JSON.stringify({ password: secret }))).toBe('{"password":"***"}');
  });

  it("is the identity with no secrets", () => {
    expect(redactor([])("anything")).toBe("anything");
  });
});

describe("a secret in conf, env or the job JSON never reaches the formatted command", () => {
  const key = "AKIA-secret-9f8e7d";
  const token = "tok'en $with spaces";
  const password = 'pa"ss\\word';
  const r = plan({
    data: { train: "s3a://bucket/churn/", options: { password } },
    spark: {
      conf: { "spark.hadoop.fs.s3a.secret.key": key, "spark.hadoop.fs.s3a.session.token": token },
      env: { AWS_SECRET_ACCESS_KEY: key, API_TOKEN: token },
    },
  });
  if (!r.ok) throw new Error("fixture plan failed");
  const secrets = [key, token, password];
  const shown = formatCommand(redactArgv(r.plan.argv, secrets), redactEnv(r.plan.env, secrets));

  it.each(secrets)("%s is absent", (secret) => {
    expect(shown).not.toContain(secret);
    expect(shown).not.toContain(JSON.stringify(secret).slice(1, -1));
  });

  it("env secrets are masked where they are; conf and job secrets are not on the command at all", () => {
    expect(shown).toContain("API_TOKEN='***'");
    expect(shown).not.toContain("fs.s3a.secret.key");
    expect(shown).not.toContain("password");
  });
});

describe("formatCommand", () => {
  it("leaves plain words bare and quotes the rest", () => {
    const argv = ["/opt/spark/bin/spark-submit", "--master", "local[*]", "--conf", "spark.a=b", "--name", "churn nightly", "{\"a\":1}", "it's $HOME"];
    expect(formatCommand(argv, { TZ: "UTC", JAVA_OPTS: "-Xmx1g -Dx=y" })).toMatchInlineSnapshot(`"JAVA_OPTS='-Xmx1g -Dx=y' TZ=UTC /opt/spark/bin/spark-submit --master 'local[*]' --conf spark.a=b --name 'churn nightly' '{"a":1}' "it's \\$HOME""`);
  });

  // Real where it matters: a POSIX shell must read back exactly the argv and env we printed.
  it("round-trips through sh", () => {
    const words = ["local[*]", "a b", "it's", 'say "hi"', "$HOME", "`id`", "back\\slash", "", "~user", "x=1", "tab\there", "*.py", "!bang", "{a,b}", "line\nbreak"];
    const line = formatCommand(["printf", "%s\\0", ...words]);
    const out = spawnSync("sh", ["-c", line], { encoding: "utf8", env: { PATH: process.env.PATH } });
    expect(out.stdout.split("\0").slice(0, -1)).toEqual(words);

    const envLine = formatCommand(["env"], { A_VAR: "x y", B_VAR: "it's $HOME" });
    const envOut = spawnSync("sh", ["-c", envLine], { encoding: "utf8", env: { PATH: process.env.PATH } });
    expect(envOut.stdout.split("\n")).toEqual(expect.arrayContaining(["A_VAR=x y", "B_VAR=it's $HOME"]));
  });
});
