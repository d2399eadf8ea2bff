import { defineConfig } from "vitest/config";

// Unit tests run in parallel; integration tests (real Spark on 2 cores) run one file at a time, after the unit tests.
export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 600_000,
    projects: [
      { extends: true, test: { name: "unit", include: ["test/unit/**/*.test.ts"], sequence: { groupOrder: 0 } } },
      {
        extends: true,
        test: { name: "integration", include: ["test/integration/**/*.test.ts"], globalSetup: ["test/integration/global-setup.ts"], fileParallelism: false, testTimeout: 600_000, sequence: { groupOrder: 1 } },
      },
    ],
  },
});
