import { defineConfig } from 'vitest/config';

// One config, two projects: unit tests beside the code, end-to-end tests in test/ that spawn the real CLI.
export default defineConfig({
  test: {
    projects: [
      { test: { name: 'unit', include: ['packages/*/src/**/*.test.ts'] } },
      {
        test: {
          name: 'e2e',
          include: ['test/**/*.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 300_000,
          // Two cores and one Docker engine: end-to-end files run one at a time.
          fileParallelism: false,
        },
      },
    ],
  },
});
