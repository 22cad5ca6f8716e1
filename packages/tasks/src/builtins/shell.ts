import { z } from 'zod';
import { defineTask } from '../model/task.ts';
import { checkCompose, composeCmd } from '../workflow/docker-plan.ts';
import { requireEngine } from '../workflow/engine-check.ts';
import { serviceCompose } from '../workflow/service-compose.ts';
import { checkService } from '../workflow/services.ts';

export const shell = defineTask({
  name: 'shell',
  group: 'docker',
  description: "Run a shell command in a service's running container (compose exec), e.g. whoami or ls -la /app",
  positional: ['service'],
  options: z.object({
    service: z.string().min(1).describe('the compose service to run it in (app, ollama, ...)'),
    command: z.string().min(1).describe('the command, run by sh -c in the container'),
    user: z.string().min(1).optional().describe('run as this user instead of the image’s'),
  }),
  examples: [
    'task shell app --command whoami',
    "task shell app --command 'ls -la /app'",
    'task shell app --command \'python3 -c "import sys; print(sys.version)"\'',
  ],
  needs: ['docker', 'compose'],
  plan: (opts, ctx, facts) => {
    checkService(ctx, opts.service);
    const compose = serviceCompose(ctx, facts, 'shell');
    // -T: no terminal is allocated (the task runner reads the output line by line), so the command runs to its end.
    return [
      requireEngine(facts.docker),
      checkCompose(compose),
      composeCmd(compose, ['exec', '-T', ...(opts.user ? ['--user', opts.user] : []), opts.service, 'sh', '-c', opts.command]),
    ];
  },
});
