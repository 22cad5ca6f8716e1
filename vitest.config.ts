import { defineConfig } from 'vitest/config';

// Three projects: unit tests beside the code; end-to-end tests in test/ that spawn the real CLI (in parallel: they
// share nothing); and those that use the Docker engine, one file at a time (two cores, one shared engine).
export default defineConfig({
  test: {
    // Vitest's default is one worker fewer than the cores: one here. End-to-end files mostly wait on the CLI
    // they spawn, so two at a time keep both cores busy.
    maxWorkers: 2,
    // One temp folder per run (TMPDIR for every worker and what it spawns), removed at the end. What the tests left on
    // the Docker engine is reported and removed by `./task test` once all its runs are done (tasks/test.ts).
    globalSetup: ['test/helpers/temp-folder.ts'],
    projects: [
      // Property tests run hundreds of cases: on two busy cores 5 s is too little, and no test here asserts a duration.
      // tasks/: the repo's own chores' pure helpers (the docs' figure blocks) are unit-tested the same way.
      //
      // isolate: false runs a worker's files one after another in the same module graph instead of a fresh one per
      // file: re-importing vitest, zod and our modules for each of ~110 files cost ~30 of the unit project's ~55
      // CPU-seconds (measured with the threads pool, which counts every worker's CPU). The tests share no state: the
      // two that change process state (PATH, fake Date) restore it in afterEach, and every test writes to its own temp
      // folder. The docker project keeps isolation: its helpers stop background daemons at a file's process exit.
      { test: { name: 'unit', include: ['packages/*/src/**/*.test.ts', 'tasks/**/*.test.ts'], testTimeout: 30_000, isolate: false } },
      {
        test: {
          name: 'e2e',
          include: ['test/**/*.test.ts'],
          exclude: ['test/docker/**'],
          isolate: false,
          testTimeout: 120_000,
          hookTimeout: 300_000,
        },
      },
      {
        test: {
          name: 'docker',
          include: ['test/docker/**/*.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 300_000,
          fileParallelism: false,
          // Tests of one file that mostly wait on the engine run side by side (describe.concurrent, e.g. verify's
          // cases): three at a time, so the two cores are busy without starving the health checks they wait on.
          maxConcurrency: 3,
        },
      },
    ],
  },
});
