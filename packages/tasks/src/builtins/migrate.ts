import { z } from 'zod';
import { defineTask } from '../model/task.ts';
import { notYet } from '../workflow/not-yet.ts';

export const migrate = defineTask({
  name: 'migrate',
  group: 'data',
  description: 'Move a repo to the new Docker set-up: plan, back up, adopt the assets, validate, rewrite the Makefile; roll back on failure',
  options: z.object({
    strategy: z.enum(['replace', 'keep-both']).default('replace').describe('replace the old files, or add the new ones beside them'),
    build: z.boolean().default(false).describe('also build and health-check the result'),
    rollback: z.boolean().default(false).describe('return the repo to its pre-migration state from the backup'),
    force: z.boolean().default(false).describe('replace files that were edited by hand since the last migrate'),
  }),
  run: (opts) => [
    notYet('migrate', [
      'inspect Dockerfile, docker-compose.yml, Makefile and .dockerignore and print the changes as a diff',
      'back up every file it will touch and verify the backup',
      `adopt the assets (strategy ${opts.strategy}), validate them, rewrite the Makefile's docker targets as pnpm task shims`,
    ]),
  ],
});
