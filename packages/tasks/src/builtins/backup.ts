import { z } from 'zod';
import { defineTask } from '../model/task.ts';
import { notYet } from '../workflow/not-yet.ts';

export const backup = defineTask({
  name: 'backup',
  group: 'data',
  description: 'Back up the Docker configuration files and, with --volumes, the named volumes into .backups/<timestamp>/',
  options: z.object({
    volumes: z.boolean().default(false).describe('also back up the named volumes (streamed through a throwaway container)'),
    dir: z.string().default('.backups').describe('where backups are written'),
    list: z.boolean().default(false).describe('list the backups'),
    verify: z.string().optional().describe('re-hash backup ID and compare with its manifest'),
  }),
  run: (opts) => [
    notYet('backup', [
      `copy Dockerfile*, compose files, .dockerignore, Makefile and .env* into ${opts.dir}/<timestamp>/ with a sha256 manifest`,
      ...(opts.volumes ? ['stream each named volume through a throwaway container into a tar file'] : []),
    ]),
  ],
});
