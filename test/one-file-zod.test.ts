/**
 * The CLI loads zod from packages/tasks/vendor/zod.mjs (cli/start.cjs) when `import 'zod'` finds the version the
 * file was made from, for every importer alike; any other zod loads as it is.
 */
import { cpSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempRepo } from './helpers/cli.ts';

const PROBE = `import { cmd, defineTask, z as ours } from '@promtior/tasks';
import * as theirs from 'zod';
const where = import.meta.resolve('zod');
export const probe = defineTask({
  name: 'probe',
  description: 'which zod',
  options: ours.object({}),
  plan: (_o, c) => [cmd(['echo', \`same=\${theirs.z === ours} from=\${where.slice(where.lastIndexOf('/') + 1)} marker=\${String((theirs as Record<string, unknown>).marker)}\`], { cwd: c.cwd })],
});
`;

describe('one-file zod', () => {
  it('a repo task importing zod gets the bundle, the same zod as @promtior/tasks', () => {
    const dir = tempRepo({ 'tasks/probe.ts': PROBE });
    const r = runCli(['probe'], { cwd: dir });
    expect(r.code, r.all).toBe(0);
    expect(r.stdout).toContain('same=true from=zod.mjs marker=undefined');
  });

  it('another zod (another version) is left as it is', () => {
    const dir = tempRepo({
      'tasks/probe.ts': PROBE,
      'fake-zod/package.json': JSON.stringify({ name: 'zod', version: '3.0.0-other', type: 'module', exports: { '.': './index.js' } }),
      'fake-zod/index.js': "export const z = {};\nexport const marker = 'other';\n",
    });
    rmSync(path.join(dir, 'node_modules', 'zod'));
    writeFileSync(path.join(dir, 'package.json'), '{"type":"module"}\n');
    // A plain folder, not a link: the repo's own zod of another version.
    cpSync(path.join(dir, 'fake-zod'), path.join(dir, 'node_modules', 'zod'), { recursive: true });
    const r = runCli(['probe'], { cwd: dir });
    expect(r.code, r.all).toBe(0);
    expect(r.stdout).toContain('same=false from=index.js marker=other');
  });
});
