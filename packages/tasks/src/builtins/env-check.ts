import path from 'node:path';
import { escapeControls, issueLocation } from '@promtior/env';
import { z } from 'zod';
import { action } from '../model/steps.ts';
import { defineTask } from '../model/task.ts';
import { checkWorkflowEnv, validatedEnv } from '../workflow/env.ts';
import { resolveProject } from '../workflow/project.ts';

export const envCheck = defineTask({
  name: 'env-check',
  group: 'config',
  description: 'Validate .env files and the shell environment against the schema; report every problem with file:line',
  options: z.object({}),
  examples: ['task env-check', 'task env-check --env-file .env.production'],
  plan: (_opts, ctx) => {
    const project = resolveProject(ctx);
    const files = ctx.envFiles.length > 0 ? ctx.envFiles.join(', ') : `${project.dir}/.env (if present)`;
    return [
      action(
        'validate the environment',
        [`read ${files} and the shell environment, then validate every variable`],
        (rt) => {
          const result = checkWorkflowEnv(ctx, project.dir);
          for (const w of result.issues) rt.log(`⚠ ${issueLocation(w) ? `${issueLocation(w)}: ` : ''}${w.message}. Fix: ${w.fix}`);
          const n = Object.keys(result.values).length;
          rt.log(
            `${n} variables valid${result.files.length > 0 ? ` (read ${result.files.join(', ')})` : ` (no ${escapeControls(path.join(project.dir, '.env'))}: defaults and shell only)`}`,
          );
          return result.values;
        },
        { output: validatedEnv },
      ),
    ];
  },
});
