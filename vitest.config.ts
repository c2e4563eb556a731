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
    // PGlite takes a few seconds to start in each test file.
    testTimeout: 30_000,
    hookTimeout: 60_000,
    setupFiles: ["tests/helpers/no-console-error.ts"],
  },
});
