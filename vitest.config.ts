import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // one test file per core: most files wait on guest processes, so the default
    // (cores - 1: a single file at a time on a 2-core machine) leaves a core idle
    maxWorkers: Math.max(2, availableParallelism()),
    minWorkers: 1,
  },
});
