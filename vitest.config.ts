import { availableParallelism } from "node:os";
import path from "node:path";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: {
    alias: {
      "~": path.resolve(__dirname, "app"),
      "#db": path.resolve(__dirname, "db"),
    },
  },
  test: {
    include: ["app/**/*.test.{ts,tsx}", "db/**/*.test.ts", "tests/unit/**/*.test.ts", "tests/integration/**/*.test.ts"],
    environment: "node",
    testTimeout: 30_000,
    hookTimeout: 60_000,
    setupFiles: ["tests/helpers/no-console-error.ts"],
    // One migrated database per run, which each test file copies into a database of its own
    // (tests/setup/global-setup.ts, docs/decisions/041).
    globalSetup: ["tests/setup/global-setup.ts"],
    // Measured on two cores (docs/testing.md): worker threads start each file faster than child
    // processes and still give every file fresh modules. Two workers more than cores: a few files
    // mostly wait (a mail server that is down, a registry refreshed every second, connections cut),
    // and with one worker a core those waits left both cores idle (on two cores, PostgreSQL: 98 s
    // instead of 109–113 s; embedded: 110–120 s instead of 131 s, 2.2 GB instead of 1.4 GB).
    pool: "threads",
    // Each worker holds its own embedded database: at most eight on a larger machine.
    maxWorkers: Math.min(availableParallelism() + 2, 8),
  },
});
