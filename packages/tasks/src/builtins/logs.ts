import { z } from 'zod';
import { defineTask } from '../model/task.ts';
import { checkCompose, composeCmd } from '../workflow/docker-plan.ts';
import { requireEngine } from '../workflow/engine-check.ts';
import { serviceOption } from '../workflow/ref-options.ts';
import { serviceCompose } from '../workflow/service-compose.ts';
import { checkService } from '../workflow/services.ts';

export const logs = defineTask({
  name: 'logs',
  group: 'docker',
  description: "Show a service's logs (every service's without a name); --follow keeps reading",
  positional: ['service'],
  options: z.object({
    service: serviceOption().optional().describe('the compose service (app, ollama, ...); all of them when left out'),
    follow: z.boolean().default(false).describe('keep printing new lines until Ctrl-C'),
    tail: z.coerce.number().int().nonnegative().default(100).describe('lines of the past to show first, per container'),
  }),
  examples: ['task logs app', 'task logs ollama --follow', 'task logs --tail 20'],
  needs: ['docker', 'compose'],
  plan: (opts, ctx, facts) => {
    if (opts.service) checkService(ctx, opts.service);
    const compose = serviceCompose(ctx, facts, 'logs');
    return [
      requireEngine(facts.docker),
      checkCompose(compose),
      composeCmd(compose, ['logs', '--no-color', '--tail', String(opts.tail), ...(opts.follow ? ['--follow'] : []), ...(opts.service ? [opts.service] : [])]),
    ];
  },
});
