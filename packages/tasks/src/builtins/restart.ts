import { z } from 'zod';
import { defineTask } from '../model/task.ts';
import { checkCompose, composeCmd } from '../workflow/docker-plan.ts';
import { requireEngine } from '../workflow/engine-check.ts';
import { serviceOption } from '../workflow/ref-options.ts';
import { serviceCompose } from '../workflow/service-compose.ts';
import { checkService } from '../workflow/services.ts';

export const restart = defineTask({
  name: 'restart',
  group: 'docker',
  description: "Restart a service's containers in place (no rebuild, no new container: docker-run does those)",
  positional: ['service'],
  options: z.object({
    service: serviceOption().describe('the compose service to restart (app, ollama, ...)'),
    timeout: z.coerce.number().int().nonnegative().default(10).describe('seconds to wait for it to stop before it is killed'),
  }),
  examples: ['task restart app', 'task restart ollama --timeout 30'],
  needs: ['docker', 'compose'],
  plan: (opts, ctx, facts) => {
    checkService(ctx, opts.service);
    const compose = serviceCompose(ctx, facts, 'restart');
    return [
      requireEngine(facts.docker),
      checkCompose(compose),
      composeCmd(compose, ['restart', '--timeout', String(opts.timeout), opts.service]),
      composeCmd(compose, ['ps', opts.service]),
    ];
  },
});
