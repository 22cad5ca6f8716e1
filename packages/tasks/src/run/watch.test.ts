import { spawn } from 'node:child_process';
import { appendFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { groupAlive } from '../exec/interrupt.ts';
import { openState } from '../fingerprint/state.ts';
import { check } from '../model/up-to-date.ts';
import type { Unit } from './plan.ts';
import { watch } from './watch.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('--watch', () => {
  it('stops the running round before a failure of its own goes on: no child is left running', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'watch-'));
    dirs.push(dir);
    mkdirSync(path.join(dir, 'src'));
    writeFileSync(path.join(dir, 'src', 'a.txt'), 'a');
    const state = openState(dir);
    // Looking at the files works once (before the round), then fails (as a crash in the glob did).
    let reads = 0;
    const hashes = state.hashes.bind(state);
    state.hashes = () => {
      if (++reads > 1) throw new Error('the walk failed');
      return hashes();
    };
    const unit = {
      id: 'gen',
      key: 'gen',
      deps: [],
      steps: [check('gen', { dir, sources: ['src/**'], generates: [], values: {} }, { kind: 'state', key: 'gen' })],
    } as unknown as Unit;
    let pgid = 0;
    const result = watch({
      plan: async () => unit,
      round: (_u, interrupt) =>
        new Promise<void>((resolve) => {
          const child = spawn('sleep', ['77'], { detached: true, stdio: 'ignore' });
          pgid = child.pid as number;
          interrupt.track(pgid);
          child.on('exit', () => resolve());
          // The sources change while the round runs.
          setTimeout(() => appendFileSync(path.join(dir, 'src', 'a.txt'), 'b'), 50);
        }),
      state,
      notify: () => {},
      pollMs: 10,
      quietMs: 20,
    });
    await expect(result).rejects.toThrow('the walk failed');
    expect(pgid).toBeGreaterThan(0);
    expect(groupAlive(pgid)).toBe(false);
  });
});
