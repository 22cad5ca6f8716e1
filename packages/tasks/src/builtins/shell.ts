import { z } from 'zod';
import { defineTask } from '../model/task.ts';
import { checkCompose, composeCmd } from '../workflow/docker-plan.ts';
import { requireEngine } from '../workflow/engine-check.ts';
import { serviceOption } from '../workflow/ref-options.ts';
import { serviceCompose } from '../workflow/service-compose.ts';
import { checkService } from '../workflow/services.ts';

export const shell = defineTask({
  name: 'shell',
  group: 'docker',
  description: "Open a shell in a service's running container (compose exec), or run one command there with --command",
  positional: ['service'],
  options: z.object({
    service: serviceOption().describe('the compose service to run it in (app, ollama, ...)'),
    command: z.string().min(1).optional().describe('the command, run by sh -c in the container (without it: an interactive sh, which needs a terminal)'),
    user: z.string().min(1).optional().describe('run as this user instead of the image’s'),
  }),
  examples: [
    'task shell app',
    'task shell app --command whoami',
    "task shell app --command 'ls -la /app'",
    'task shell app --command \'python3 -c "import sys; print(sys.version)"\'',
  ],
  needs: ['docker', 'compose'],
  plan: (opts, ctx, facts) => {
    checkService(ctx, opts.service);
    const compose = serviceCompose(ctx, facts, 'shell');
    const user = opts.user ? ['--user', opts.user] : [];
    if (opts.command === undefined) {
      // Without a terminal the executor stops before this runs (TERMINAL_NEEDED, exit 2); --dry-run still shows it.
      // compose allocates a terminal in the container; the shell gets ours (stdin, stdout, stderr, Ctrl-C).
      return [requireEngine(facts.docker), checkCompose(compose), composeCmd(compose, ['exec', ...user, opts.service, 'sh'], { terminal: true })];
    }
    // -T: no terminal is allocated (the task runner reads the output line by line), so the command runs to its end.
    return [requireEngine(facts.docker), checkCompose(compose), composeCmd(compose, ['exec', '-T', ...user, opts.service, 'sh', '-c', opts.command])];
  },
});
