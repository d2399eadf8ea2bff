// setupRuntime's edges without pip: an existing runtime answers at once, a live set-up's lock is waited for (then
// E_SETUP_BUSY), a dead one's is taken over, and a missing Python fails cleanly with nothing left behind.
import { existsSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { COMPLETE_MARKER, runtimeKey } from "../../src/setup/home.js";
import { setupRuntime, type SetupWorld } from "../../src/setup/install.js";
import { lockText } from "../../src/setup/lock.js";
import { tempDir } from "../helpers/tmp.js";

const REQS = "pyspark==4.1.1\nnumpy==2.2.6\n";
const KEY = runtimeKey(REQS);

// A fake installation (only the requirements file) and an empty MLSHIP_HOME.
function scene(extraEnv: Record<string, string> = {}) {
  const dir = tempDir("mlship-setup-");
  const projectRoot = join(dir, "pkg");
  mkdirSync(join(projectRoot, "spark-scripts"), { recursive: true });
  writeFileSync(join(projectRoot, "spark-scripts", "requirements-runtime.txt"), REQS);
  const home = join(dir, "home");
  const lines: string[] = [];
  const world: SetupWorld = {
    env: { PATH: process.env.PATH, JAVA_HOME: process.env.JAVA_HOME, MLSHIP_HOME: home, ...extraEnv },
    projectRoot,
    quiet: true,
    progress: (l) => lines.push(l),
    output: () => undefined,
    now: () => new Date("2026-12-07T18:00:00Z"),
    signal: new AbortController().signal,
  };
  return { world, home, runtime: join(home, "python", KEY), lock: join(home, "python", `${KEY}.lock`), lines };
}

describe("mlship setup's edges", () => {
  it("answers `already` for a complete runtime, without Python or pip", async () => {
    const s = scene({ MLSHIP_PYTHON: "/nonexistent/python" });
    mkdirSync(s.runtime, { recursive: true });
    writeFileSync(join(s.runtime, COMPLETE_MARKER), "{}\n");
    await expect(setupRuntime(s.world)).resolves.toMatchObject({ status: "already", key: KEY, dir: s.runtime, requirements: ["pyspark==4.1.1", "numpy==2.2.6"] });
  });

  it("waits for a live set-up's lock, then fails with E_SETUP_BUSY naming it", async () => {
    const s = scene({ MLSHIP_SETUP_WAIT_SECONDS: "1" });
    mkdirSync(join(s.home, "python"), { recursive: true });
    writeFileSync(s.lock, lockText(process.pid, hostname(), new Date()));
    await expect(setupRuntime(s.world)).rejects.toMatchObject({ code: "E_SETUP_BUSY", exitCode: 1, message: expect.stringContaining(s.lock) });
    expect(s.lines.join("\n")).toContain("waiting for it");
    expect(existsSync(s.lock)).toBe(true); // not ours to remove
  });

  it("takes over a dead set-up's lock and its leftovers; without Python it fails cleanly (E_NO_PYTHON, exit 2)", async () => {
    const s = scene({ MLSHIP_PYTHON: "/nonexistent/python" });
    mkdirSync(join(s.home, "python", `.tmp-${KEY}-dead`), { recursive: true });
    mkdirSync(s.runtime, { recursive: true }); // half-built: no marker
    writeFileSync(s.lock, lockText(2 ** 22 + 7, hostname(), new Date())); // above Linux's pid_max default: never alive
    await expect(setupRuntime(s.world)).rejects.toMatchObject({ code: "E_NO_PYTHON", exitCode: 2, message: expect.stringContaining("/nonexistent/python: not found") });
    expect(readdirSync(join(s.home, "python"))).toEqual([]); // the lock released, the leftovers gone
  });
});
