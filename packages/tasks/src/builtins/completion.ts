import { z } from 'zod';
import { completionScript, SHELLS } from '../cli/complete.ts';
import { action } from '../model/steps.ts';
import { defineTask } from '../model/task.ts';

export const completion = defineTask({
  name: 'completion',
  group: 'config',
  description: 'Print the shell completion script for bash, zsh or fish (task names, flags, known values)',
  positional: ['shell'],
  options: z.object({ shell: z.enum(SHELLS).describe('the shell to complete in') }),
  examples: ['task completion bash >> ~/.bashrc', 'task completion zsh > ~/.zfunc/_task', 'task completion fish > ~/.config/fish/completions/task.fish'],
  dataOutput: () => true,
  plan: (opts) => [
    action(`completion for ${opts.shell}`, [`print the ${opts.shell} completion script`], async (rt) => rt.result(completionScript(opts.shell))),
  ],
});
