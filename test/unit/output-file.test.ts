// writeOutputFile: a -o path that cannot be written is a usage error (exit 2) naming the path, not a raw ENOENT.
import { mkdtempSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { writeOutputFile } from "../../src/cli/output-file.js";
import { UserError } from "../../src/errors.js";

describe("writeOutputFile", () => {
  it("writes the file, with the mode asked for", async () => {
    const file = join(mkdtempSync(join(tmpdir(), "mlship-out-")), "job.json");
    await writeOutputFile(file, "{}", 0o600);
    expect(readFileSync(file, "utf8")).toBe("{}");
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it("a missing folder: E_USAGE naming the path", async () => {
    const err = await writeOutputFile("/nonexistent-mlship-dir/report.html", "x").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as UserError).message).toBe("cannot write /nonexistent-mlship-dir/report.html: its folder does not exist");
    expect((err as UserError).code).toBe("E_USAGE");
  });
});
