// The run's private files (job description, secret properties): created 0600, removed however the run ends.
import { rmSync } from "node:fs";
import { open } from "node:fs/promises";

export interface PrivateFile {
  path: string;
  content: string;
}

// Creates each file with mode 0600 from the start (O_CREAT|O_EXCL: never an existing file, never wider for a
// moment), adding it to `created` as soon as it exists so the caller removes only what this wrote.
export async function writePrivateFiles(files: PrivateFile[], created: PrivateFile[]): Promise<void> {
  for (const f of files) {
    const handle = await open(f.path, "wx", 0o600);
    created.push(f);
    try {
      await handle.writeFile(f.content, "utf8");
    } finally {
      await handle.close();
    }
  }
}

// Synchronous, so it also works from a process "exit" handler.
export function removePrivateFiles(files: PrivateFile[]): void {
  for (const f of files) rmSync(f.path, { force: true });
}
