/** Start-up: the CLI against a bare `node -e 0`, medians of one run. */
import { median, type Suite, timeOnce } from './_util.ts';

export const startupSuite: Suite = async ({ runs, record }) => {
  const node = [process.execPath, '-e', '0'];
  const list = ['pnpm', 'task', '--list'];
  timeOnce(list); // warm the compile cache and the task manifest, as any second run finds them
  const a: number[] = [];
  const b: number[] = [];
  for (let i = 0; i < runs; i++) {
    a.push(timeOnce(node));
    b.push(timeOnce(list));
  }
  const ratio = median(b) / median(a);
  record({
    id: 'startup.node',
    value: median(a),
    unit: 'ms',
    text: `node -e 0: median ${median(a).toFixed(1)} ms (min ${Math.min(...a).toFixed(1)}), ${runs} runs`,
  });
  record({
    id: 'startup.pnpm-list',
    value: median(b),
    unit: 'ms',
    text: `pnpm task --list: median ${median(b).toFixed(1)} ms (min ${Math.min(...b).toFixed(1)})`,
  });
  record({ id: 'startup.pnpm-list-ratio', value: ratio, unit: 'x', text: `pnpm task --list / node -e 0: ${ratio.toFixed(2)}x` });
};
