// The git commit of the working tree a spec lives in (lineage), or null outside a repository.
import { execFile } from "node:child_process";
import { promisify } from "node:util";

const run = promisify(execFile);

export async function gitInfo(cwd: string): Promise<{ commit: string | null; dirty: boolean }> {
  try {
    const { stdout } = await run("git", ["rev-parse", "HEAD"], { cwd, timeout: 5000 });
    const status = await run("git", ["status", "--porcelain", "--untracked-files=no"], { cwd, timeout: 5000 });
    return { commit: stdout.trim() || null, dirty: status.stdout.trim().length > 0 };
  } catch {
    return { commit: null, dirty: false };
  }
}
