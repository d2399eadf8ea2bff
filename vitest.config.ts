import { defineConfig } from "vitest/config";

// Unit tests run in parallel; integration tests (real Spark) share 2 cores, so they run one file at a time.
export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 600_000,
    fileParallelism: true,
    maxWorkers: 2,
    sequence: { groupOrder: 0 },
    projects: [
      { extends: true, test: { name: "unit", include: ["test/unit/**/*.test.ts"] } },
      { extends: true, test: { name: "integration", include: ["test/integration/**/*.test.ts"], fileParallelism: false, testTimeout: 600_000, sequence: { groupOrder: 1 } } },
    ],
  },
});
