// Integration tests run the built CLI: make sure set-up (build, venv, example data) is current.
import { execFileSync } from "node:child_process";
import { join } from "node:path";

export default function setup(): void {
  execFileSync(process.execPath, [join(import.meta.dirname, "..", "..", "scripts", "setup.mjs"), "--quiet"], { stdio: "inherit" });
}
