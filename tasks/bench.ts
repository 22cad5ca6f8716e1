/**
 * Benchmarks (`pnpm bench`): measured, never asserted in tests. Start-up: `pnpm task --list` against a bare
 * `node -e 0` on the same machine in one run, interleaved so that both see the same load. Target: at most 2x.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { action, defineTask, runIfMain } from '@promtior/tasks';
import { z } from 'zod';

const root = path.resolve(import.meta.dirname, '..');

function timeOnce(argv: string[]): number {
  const started = process.hrtime.bigint();
  const r = spawnSync(argv[0] as string, argv.slice(1), { cwd: root, stdio: 'ignore' });
  if (r.status !== 0) throw new Error(`${argv.join(' ')} exited ${r.status}`);
  return Number(process.hrtime.bigint() - started) / 1e6;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}

export const bench = defineTask({
  name: 'bench',
  group: 'repo',
  description: 'Measure start-up: `pnpm task --list` against `node -e 0` (target: at most 2x)',
  options: z.object({ runs: z.coerce.number().int().min(3).default(20).describe('runs of each command') }),
  run: (opts) => [
    action('start-up', [`run \`node -e 0\` and \`pnpm task --list\` ${opts.runs} times each, interleaved, and compare medians`], async (rt) => {
      const node = [process.execPath, '-e', '0'];
      const list = ['pnpm', 'task', '--list'];
      timeOnce(list); // warm the compile cache and the task manifest, as any second run would find them
      const a: number[] = [];
      const b: number[] = [];
      for (let i = 0; i < opts.runs; i++) {
        a.push(timeOnce(node));
        b.push(timeOnce(list));
      }
      const ratio = median(b) / median(a);
      rt.log(`node -e 0:          median ${median(a).toFixed(1)} ms (min ${Math.min(...a).toFixed(1)})`);
      rt.log(`pnpm task --list:   median ${median(b).toFixed(1)} ms (min ${Math.min(...b).toFixed(1)})`);
      rt.log(`ratio ${ratio.toFixed(2)}x (target <= 2x): ${ratio <= 2 ? 'met' : 'NOT met'}`);
    }),
  ],
});

await runIfMain(import.meta, bench);
