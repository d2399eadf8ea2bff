// A vitest reporter that records each test file's wall time, hooks included (test-results/file-times.json), so the
// files that spend CI's time budget can be named; vitest's own reports count only the tests' bodies.
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, relative } from "node:path";
import type { Reporter, TestModule } from "vitest/node";

interface FileTime {
  file: string;
  project: string;
  seconds: number; // wall time from the file's start to its end, hooks and imports included
  testsSeconds: number; // vitest's own figure: tests and hooks run time
}

export default class FileTimesReporter implements Reporter {
  private readonly started = new Map<string, number>();
  private readonly times: FileTime[] = [];

  private readonly outputFile = "test-results/file-times.json";

  onTestModuleStart(module: TestModule): void {
    this.started.set(module.moduleId, Date.now());
  }

  onTestModuleEnd(module: TestModule): void {
    const start = this.started.get(module.moduleId) ?? Date.now();
    this.times.push({
      file: relative(process.cwd(), module.moduleId),
      project: module.project.name,
      seconds: (Date.now() - start) / 1000,
      testsSeconds: module.diagnostic().duration / 1000,
    });
  }

  onTestRunEnd(): void {
    this.times.sort((a, b) => b.seconds - a.seconds);
    mkdirSync(dirname(this.outputFile), { recursive: true });
    writeFileSync(this.outputFile, JSON.stringify(this.times, null, 1) + "\n");
  }
}
