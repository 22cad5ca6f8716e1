/**
 * Issue 9, the command line's share: hostile or careless input gets a clear answer and leaks nothing, in every
 * output mode. One case per item (the item number in each title).
 */
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { GOOD_KEY, runCliAsync, startCli, tempRepo } from '../helpers/cli.ts';

// Contains both characters JSON escapes: masking after encoding would miss it.
const QUOTED_SECRET = 'qu"ote\\back-slash-secret-0123';
const LEAK = `import { defineTask, cmd, call, envCheck } from '@promtior/tasks';
import { z } from 'zod';
export const leak = defineTask({ name: 'leak', description: 'prints the key', options: z.object({}), plan: (_o, ctx) => [call(envCheck), cmd(['sh', '-c', 'printf "key=%s\\n" "$ADMIN_REINGEST_KEY"'], { cwd: ctx.cwd })] });
`;
/** Control characters other than newline and tab. */
const controls = (text: string) => [...text].filter((c) => (c.charCodeAt(0) < 32 && c !== '\n' && c !== '\t') || c.charCodeAt(0) === 127);
const jsonLines = (text: string) =>
  text
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { event: string; message?: string });

// Each case has its own temp repo (or only reads): side by side, so their CLI starts overlap.
describe.concurrent('hostile input on the command line (issue 9)', () => {
  it('2: --output json masks a secret containing " and \\ before encoding it', async () => {
    const dir = tempRepo({ '.env': `ADMIN_REINGEST_KEY='${QUOTED_SECRET}'\n`, 'tasks/leak.ts': LEAK });
    const r = await runCliAsync(['leak', '--output', 'json', '--verbose'], { cwd: dir, env: { ADMIN_REINGEST_KEY: QUOTED_SECRET } });
    expect(r.code, r.all).toBe(0);
    expect(r.all).not.toContain(QUOTED_SECRET);
    expect(r.all).not.toContain(JSON.stringify(QUOTED_SECRET).slice(1, -1));
    expect(jsonLines(r.stdout).some((e) => JSON.stringify(e).includes('key=***'))).toBe(true);
  });

  it('2: an unknown task or flag is echoed cut short, escaped and masked', async () => {
    const dir = tempRepo({ '.env': `ADMIN_REINGEST_KEY=${GOOD_KEY}\n` });
    const huge = await runCliAsync(['x'.repeat(100_000)], { cwd: dir });
    expect(huge.code).toBe(2);
    expect(huge.stderr.length).toBeLessThan(400);
    expect(huge.stderr).toContain('(99940 more characters)');
    const secret = await runCliAsync([GOOD_KEY], { cwd: dir });
    expect(secret.code).toBe(2);
    expect(secret.all).not.toContain(GOOD_KEY);
    const flag = await runCliAsync(['env-check', `--key=${GOOD_KEY}`, '--output', 'json'], { cwd: dir });
    expect(flag.code).toBe(2);
    expect(flag.all).not.toContain(GOOD_KEY);
    expect(jsonLines(flag.stdout)).toEqual([expect.objectContaining({ event: 'error', message: expect.stringContaining('unknown flag "--key"') })]);
  });

  it('5: control characters from a .env (a title-change sequence) are shown escaped, never sent to the terminal', async () => {
    const dir = tempRepo({ '.env': `ADMIN_REINGEST_KEY=${GOOD_KEY}\nAPP_PORT=\u001b]0;pwned\u0007\n\u001b[2Jkey=1\n` });
    for (const args of [['env-check'], ['env-check', '--output', 'plain'], ['env-check', '--output', 'json']]) {
      const r = await runCliAsync(args, { cwd: dir });
      expect(r.code, r.all).toBe(1);
      expect(controls(r.all), args.join(' ')).toEqual([]);
      if (args.length === 1) expect(r.stderr).toContain('\\x1b]0;pwned\\x07');
    }
  });

  it('6: `task -- env-check` runs env-check (or exits 2), never lists and exits 0', async () => {
    const dir = tempRepo({ '.env': `ADMIN_REINGEST_KEY=${GOOD_KEY}\n` });
    // ./task and bin/task add their own `--` (runCli puts it right after bin/task.js); pnpm may pass one more.
    for (const args of [['env-check'], ['--', 'env-check']]) {
      const r = await runCliAsync(args, { cwd: dir });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toContain('variables valid');
      expect(r.stdout).not.toContain('docker-build');
    }
    expect((await runCliAsync(['--', '--nope'], { cwd: dir })).code).toBe(2);
  });

  it('7: after the task name, --dir is the task’s own; before it, it is -C', async () => {
    const repo = tempRepo({ '.env': `ADMIN_REINGEST_KEY=${GOOD_KEY}\n` });
    const r = await runCliAsync(['-C', repo, 'backup', '--dir', 'x', '--dry-run']);
    expect(r.code, r.all).toBe(0);
    expect(r.stdout).toContain(`${repo}/x/<id>`);
    const before = await runCliAsync(['--dir', repo, 'backup', '--dry-run']);
    expect(before.stdout).toContain(`${repo}/.backups/<id>`);
  });

  it('9: --env-file is relative to where the command is typed, not to -C', async () => {
    const here = tempRepo({ 'my.env': `ADMIN_REINGEST_KEY=${GOOD_KEY}\nAPP_PORT=8111\n` });
    const there = tempRepo();
    mkdirSync(path.join(there, 'sub'));
    const r = await runCliAsync(['-C', there, 'env-check', '--env-file', './my.env'], { cwd: here });
    expect(r.code, r.all).toBe(0);
    expect(r.stdout).toContain(`read ${here}/my.env`);
  });

  it('10: a task named "has space", "" or "--list" is refused where it is defined, naming the file', async () => {
    // One file per name, in one repo: each file loads (and fails) on its own, so one --list shows all three. (The
    // names hold no character a regular expression reads specially.)
    const names = ['has space', '', '--list'];
    const dir = tempRepo(
      Object.fromEntries(
        names.map((name, i) => [
          `tasks/bad${i}.ts`,
          `import { defineTask } from '@promtior/tasks';\nimport { z } from 'zod';\nexport const bad = defineTask({ name: ${JSON.stringify(name)}, description: 'x', options: z.object({}), plan: () => [] });\n`,
        ]),
      ),
    );
    // A broken task file is a warning that names it; the list of the other tasks still works (item 14).
    const r = await runCliAsync(['--list'], { cwd: dir });
    expect(r.code, r.all).toBe(0);
    for (const [i, name] of names.entries())
      expect(r.stderr).toMatch(
        new RegExp(`warning: cannot load task file tasks/bad${i}\\.ts[:\\d]*: defineTask\\(${JSON.stringify(name)}\\): a task name is a letter or digit`),
      );
    expect(r.stdout).toContain('docker-build');
    expect(r.stdout).not.toMatch(/^ +(has space|--list) /m);
  });

  it('17: in --output json every line is a JSON event: usage errors, --dry-run and --list too', async () => {
    const dir = tempRepo({ '.env': `ADMIN_REINGEST_KEY=${GOOD_KEY}\n` });
    for (const args of [
      ['--output', 'json', 'docker-biuld'],
      ['--output=json', '--bogus'],
      ['env-check', '--output', 'json', '--dry-run'],
      ['--output', 'json', '--list'],
      ['--output', 'json', '--version'],
    ]) {
      const r = await runCliAsync(args, { cwd: dir });
      expect(r.stderr, args.join(' ')).toBe('');
      expect(() => jsonLines(r.stdout), args.join(' ')).not.toThrow();
    }
  });

  it('17: a flag error quotes the input and the real constraint, never "got null"', async () => {
    const r = await runCliAsync(['docker-run', '--timeout', 'abc', '--dry-run']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--timeout got "abc", expected a whole number greater than 0');
  });

  it("17: -j -1 names the number, -C '' is refused, and two run modes together are an error naming both", async () => {
    const dir = tempRepo();
    const cases: [string[], string][] = [
      [['-j', '-1', 'env-check'], 'error: --jobs/-j got "-1": give the number of steps'],
      [['-C', '', '--list'], "error: -C needs a folder, and got an empty word ('')"],
      // The other pairs of run modes get the same message from parseArgv (cli/argv.test.ts checks each).
      [['--status', 'env-check', '--watch'], 'error: --status and --watch cannot be used together'],
    ];
    for (const [args, says] of cases) {
      const r = await runCliAsync(args, { cwd: dir });
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toContain(says);
    }
  });

  it('18: SIGHUP ends a run with 129, after teardown', async () => {
    const dir = tempRepo({
      'tasks/hang.ts': `import { defineTask, cmd } from '@promtior/tasks';\nimport { z } from 'zod';\nexport const hang = defineTask({ name: 'hang', description: 'waits', options: z.object({}), plan: (_o, c) => [cmd(['sh', '-c', 'echo started; sleep 30'], { cwd: c.cwd }), cmd(['sh', '-c', 'echo done > teardown.txt'], { cwd: c.cwd, always: true })] });\n`,
    });
    const child = startCli(['hang'], { cwd: dir });
    await new Promise<void>((resolve) => child.stdout.on('data', (d: Buffer) => d.toString().includes('started') && resolve()));
    child.kill('SIGHUP');
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(129);
    expect(readFileSync(path.join(dir, 'teardown.txt'), 'utf8')).toBe('done\n');
  });

  it('18: `--dry-run --yes docker-clean --volumes` does not claim it will refuse', async () => {
    const dir = tempRepo({ '.env': `ADMIN_REINGEST_KEY=${GOOD_KEY}\n` });
    const yes = await runCliAsync(['--dry-run', '--yes', 'docker-clean', '--volumes'], { cwd: dir });
    expect(yes.code, yes.all).toBe(0);
    expect(yes.stdout).not.toMatch(/refuse|needs --yes/);
    expect(yes.stdout).toContain('--volumes');
    expect((await runCliAsync(['--dry-run', 'docker-clean', '--volumes'], { cwd: dir })).stdout).toContain('needs --yes');
  });
});
