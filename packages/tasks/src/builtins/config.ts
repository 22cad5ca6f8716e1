import { z } from 'zod';
import { explainText } from '../config/explain.ts';
import { loadLayered } from '../config/layered.ts';
import { action } from '../model/steps.ts';
import { defineTask } from '../model/task.ts';
import { builtinSource, libraryVersion } from '../registry/registry.ts';

export const config = defineTask({
  name: 'config',
  group: 'config',
  description: "Show this repo's configuration after merging its presets; --explain says which preset or file set each key",
  options: z.object({
    explain: z.boolean().default(false).describe('a table of every key set, its value and where it comes from (preset@version or tasks.config.ts)'),
  }),
  examples: ['task config', 'task config --explain'],
  dataOutput: () => true,
  plan: (opts, ctx) => [
    action(
      opts.explain ? 'explain the configuration' : 'print the configuration',
      [
        `read ${ctx.cwd}/tasks.config.* and the tasks.config.js of each preset it extends (validated, peer ranges checked)`,
        opts.explain ? 'print each key set, its value and the preset (name@version) or file it comes from' : 'print the merged configuration as JSON',
      ],
      async (rt) => {
        const layered = await loadLayered(ctx.cwd, libraryVersion());
        rt.result(opts.explain ? explainText(layered, builtinSource(), ctx.cwd) : JSON.stringify(layered.config, null, 2));
      },
    ),
  ],
});
