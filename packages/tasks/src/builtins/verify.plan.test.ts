/** verify's plan (golden dry-runs, no engine) and its --health-interval flag. */
import { mkdirSync, mkdtempSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseTaskArgs } from '../model/options.ts';
import { golden, normalizePlan } from '../run/golden.ts';
import { planOf } from '../run/plan-of.ts';
import { verify } from './verify.ts';

function project(): string {
  const dir = path.join(realpathSync(mkdtempSync(path.join(tmpdir(), 'golden-'))), 'shop');
  mkdirSync(dir);
  writeFileSync(path.join(dir, '.env'), 'ADMIN_REINGEST_KEY=golden-admin-key-0123456789abcdef\nAPP_PORT=8123\n');
  return dir;
}

async function dryRun(options: Record<string, unknown>): Promise<string> {
  const dir = project();
  return normalizePlan(`${(await planOf(verify, options, { cwd: dir })).lines.join('\n')}\n`, dir);
}

const parse = (args: string[]) => parseTaskArgs(verify, args, { suggest: () => undefined, baseDir: '/' });

describe('verify: plan and --health-interval', () => {
  it.each([
    ['verify', {}],
    ['verify.health-interval', { healthInterval: 1 }],
  ])('golden dry-run %s', async (name, options) => {
    const text = await dryRun(options);
    expect(text).toBe(golden(path.join(import.meta.dirname, '__golden__', `${name}.txt`), text));
  });

  it('takes whole seconds from 1 to 3600 and leaves the images and compose files their own interval without it', () => {
    expect(parse(['--health-interval', '1']).healthInterval).toBe(1);
    expect(parse(['--health-interval', '3600']).healthInterval).toBe(3600);
    expect(parse([]).healthInterval).toBeUndefined();
  });

  it.each(['0', 'abc', '3601', '1.5', '-2'])('refuses --health-interval %s, naming the flag and what it takes', (value) => {
    expect(() => parse(['--health-interval', value])).toThrow(
      `invalid options for task verify: --health-interval got "${value}", expected a whole number from 1 to 3600. Run \`task verify --help\` for its flags.`,
    );
  });

  it.each([
    [60, 60],
    [3600, 10],
  ])('refuses --health-interval %i with --health-timeout %i before anything runs: no check could come in time', async (healthInterval, healthTimeout) => {
    const planned = dryRun({ ...parse(['--health-interval', String(healthInterval), '--health-timeout', String(healthTimeout)]) });
    await expect(planned).rejects.toMatchObject({
      code: 'FLAG_INVALID',
      exitCode: 2,
      message: expect.stringContaining(`--health-interval ${healthInterval} is not shorter than --health-timeout ${healthTimeout}`),
    });
    await expect(dryRun({ ...parse(['--health-interval', String(healthTimeout - 1), '--health-timeout', String(healthTimeout)]) })).resolves.toContain(
      `healthy within ${healthTimeout} s (checked every ${healthTimeout - 1} s)`,
    );
  });
});
