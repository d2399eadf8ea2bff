// The driver JVM's class-data archive on real local Spark: the first train writes it (the JVM's own file, renamed into
// place), the second maps it (the JVM's class-load log says "shared objects file (top)"), and both register certified models.
import { describe, expect, it } from "vitest";
import { mkdirSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { mlship } from "../helpers/cli.js";
import { tempDir } from "../helpers/tmp.js";

const work = tempDir("mlship-cds-");
const home = join(work, "home"); // a fresh MLSHIP_HOME: no archive yet
const store = join(work, "store");
const logs = join(work, "class-load");
const cds = join(home, "cds");

describe("the class-data archive (real local Spark)", () => {
  it("the first run writes it, the second uses it, both register a certified version", async () => {
    const first = await mlship(["train", "jobs/quickstart.yaml", "--store", store, "--json"], { env: { MLSHIP_HOME: home } });
    expect(first.exitCode, first.stderr).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject({ ok: true, version: 1, parity: { passed: true } });
    expect(first.stderr).toMatch(/class-data archive: writing .*spark-driver-[0-9a-f]{16}\.jsa/);
    // Only the archive is left: no temporary file, no writer's lock; its first bytes are the JVM's dynamic-archive magic.
    const names = readdirSync(cds);
    expect(names).toEqual([expect.stringMatching(/^spark-driver-[0-9a-f]{16}\.jsa$/)]);
    const archive = join(cds, names[0]!);
    expect(statSync(archive).size).toBeGreaterThan(10 * 1024 * 1024);
    expect(readFileSync(archive).readUInt32LE(0)).toBe(0xf00baba8);

    // The JVM's own account: classes loaded from the top (dynamic) layer of the shared archive.
    mkdirSync(logs);
    const second = await mlship(["train", "jobs/quickstart.yaml", "--store", store, "--json"], {
      env: { MLSHIP_HOME: home, JDK_JAVA_OPTIONS: `-Xlog:class+load=info:file=${logs}/%p.log` },
    });
    expect(second.exitCode, second.stderr).toBe(0);
    expect(JSON.parse(second.stdout)).toMatchObject({ ok: true, version: 2, parity: { passed: true } });
    expect(second.stderr).toContain(`class-data archive: using ${archive}`);
    const fromArchive = readdirSync(logs).filter((f) => /org\.apache\.spark\.deploy\.SparkSubmit source: shared objects file \(top\)/.test(readFileSync(join(logs, f), "utf8")));
    expect(fromArchive).toHaveLength(1); // the driver JVM (spark-submit's launcher JVM gets no archive)
    expect(readdirSync(cds)).toEqual(names);
  });
});
