/**
 * Issue 9, items 10 and 14: one broken or clashing `tasks/*.ts` file is reported with its place and leaves every
 * other task, `--list` and `--help` usable; only what it defines fails, with its error.
 */
import { describe, expect, it } from 'vitest';
import { runCliAsync, tempRepo } from '../helpers/cli.ts';

const task = (name: string, says: string) =>
  `import { defineTask, cmd } from '@promtior/tasks';\nimport { z } from 'zod';\nexport const t = defineTask({ name: '${name}', description: '${says}', options: z.object({}), run: (_o, ctx) => [cmd(['echo', '${says}'], { cwd: ctx.cwd })] });\n`;

// Each case has its own temp repos: side by side, so their CLI starts overlap.
describe.concurrent('task files (issue 9, items 10 and 14)', () => {
  it('two local files defining one task: an error naming both, the rest still runs', async () => {
    const dir = tempRepo({ 'tasks/a.ts': task('hello', 'from a'), 'tasks/b.ts': task('hello', 'from b'), 'tasks/other.ts': task('other', 'other one') });
    const r = await runCliAsync(['hello'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('task hello is defined in tasks/a.ts and in tasks/b.ts. Rename one of them');
    const list = await runCliAsync(['--list'], { cwd: dir });
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/other +other one/);
    expect(list.stdout).not.toMatch(/hello/);
    expect(list.stderr).toContain('warning: task hello is defined in tasks/a.ts and in tasks/b.ts');
    expect((await runCliAsync(['other'], { cwd: dir })).stdout).toContain('other one');
  });

  it('one task defined twice in the same file is named too; one task exported twice is one task', async () => {
    const twice = `${task('hello', 'one')}export const u = { ...t, description: 'two' };\n`;
    expect((await runCliAsync(['hello'], { cwd: tempRepo({ 'tasks/x.ts': twice }) })).stderr).toContain('task hello is defined twice in tasks/x.ts');
    const aliased = `${task('hello', 'one')}export { t as alias };\n`;
    expect((await runCliAsync(['hello'], { cwd: tempRepo({ 'tasks/x.ts': aliased }) })).code).toBe(0);
  });

  it('a broken file: --list, --help and every other task work; the file is named with line and column', async () => {
    const dir = tempRepo({ 'tasks/bad.ts': 'const ok = 1;\nexport const = 1;\n', 'tasks/good.ts': task('hello', 'still here') });
    const list = await runCliAsync(['--list'], { cwd: dir });
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/hello +still here/);
    expect(list.stdout).toMatch(/docker-build /);
    expect(list.stderr).toMatch(/warning: cannot load task file tasks\/bad\.ts:2:\d+: /);
    expect((await runCliAsync(['--help'], { cwd: dir })).code).toBe(0);
    expect((await runCliAsync(['hello'], { cwd: dir })).stdout).toContain('still here');
    expect((await runCliAsync(['completion', 'bash'], { cwd: dir })).code).toBe(0);
    const missing = await runCliAsync(['from-bad'], { cwd: dir });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/unknown task "from-bad"\. It may be in a task file that did not load: cannot load task file tasks\/bad\.ts:2:\d+/);
  });

  it('a file that throws something that is not an Error is reported with the value thrown', async () => {
    const r = await runCliAsync(['--list'], { cwd: tempRepo({ 'tasks/throws.ts': "const a = 1;\nthrow 'x';\n" }) });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain("tasks/throws.ts:2: threw 'x' while loading");
  });

  it('a file that throws an Error is reported at the line that threw', async () => {
    const r = await runCliAsync(['--list'], { cwd: tempRepo({ 'tasks/boom.ts': "const a = 1;\n\nthrow new Error('boom');\n" }) });
    expect(r.stderr).toMatch(/tasks\/boom\.ts:3:\d+: boom/);
  });

  it('a task file or config that never finishes loading, or exits while loading: exit 1 naming the file, never a silent 0', async () => {
    const hang = 'await new Promise(() => {});\nexport {};\n';
    const dir = tempRepo({ 'tasks/gen.ts': task('gen', 'gen'), 'tasks/hang.ts': hang });
    for (const args of [['gen'], ['env-check'], ['--list'], ['--dry-run', 'docker-run']]) {
      const r = await runCliAsync(args, { cwd: dir });
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.stderr).toContain('error: tasks/hang.ts never finished loading');
    }
    const json = await runCliAsync(['--output', 'json', 'env-check'], { cwd: dir });
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout.trim().split('\n').at(-1) as string)).toMatchObject({ event: 'error', code: 'UNFINISHED', exitCode: 1 });
    const config = await runCliAsync(['gen'], {
      cwd: tempRepo({ 'tasks/gen.ts': task('gen', 'gen'), 'tasks.config.ts': 'await new Promise(() => {});\nexport default {};\n' }),
    });
    expect(config.code).toBe(1);
    expect(config.stderr).toContain('error: tasks.config.ts never finished loading');
    // process.exit(0) while loading is a load error at its line: the rest stays usable, what reads the config fails.
    const exits = tempRepo({ 'tasks/gen.ts': task('gen', 'gen'), 'tasks.config.ts': 'process.exit(0);\nexport default {};\n' });
    expect((await runCliAsync(['gen'], { cwd: exits })).stdout).toContain('gen');
    const check = await runCliAsync(['env-check'], { cwd: exits });
    expect(check.code).toBe(1);
    expect(check.stderr).toMatch(/tasks\.config\.ts:1:\d+: process\.exit\(0\) was called while the file loaded/);
    // Later, from a timer: the guard still sees the run end unfinished.
    const later = await runCliAsync(['env-check'], { cwd: tempRepo({ 'tasks.config.ts': 'setTimeout(() => process.exit(0), 1);\nexport default {};\n' }) });
    expect(later.code).toBe(1);
    expect(later.stderr).toContain('error: the run ended before the task finished');
  });

  it('a task\'s plan that throws is the task\'s error at its line, never "a bug in promtior-tasks"', async () => {
    const plan = (body: string) =>
      `import { defineTask } from '@promtior/tasks';\nimport { z } from 'zod';\nexport const t = defineTask({ name: 'gen', description: 'g', options: z.object({}), plan: () => {\n  ${body}\n} });\n`;
    const r = await runCliAsync(['gen'], { cwd: tempRepo({ 'tasks/gen.ts': plan("throw new Error('kaput');") }) });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: task gen's plan failed \(tasks\/gen\.ts:4:\d+\): kaput\. Fix the task's code at that line\.$/m);
    expect(r.stderr).not.toMatch(/internal error|a bug in promtior-tasks| {4}at /);
    const json = await runCliAsync(['--output', 'json', 'gen'], { cwd: tempRepo({ 'tasks/gen.ts': plan("throw 'kaput';") }) });
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout.trim())).toMatchObject({ event: 'error', code: 'TASK_CODE_FAILED', message: expect.stringContaining("it threw 'kaput'") });
  });

  it('a config whose default export throws when read (a getter, a Proxy) is a config error naming tasks.config.ts', async () => {
    for (const config of [
      "export default {\n  get preset() {\n    throw new Error('nope');\n  },\n};\n",
      "export default new Proxy({}, {\n  get() {\n    throw new Error('nope');\n  },\n});\n",
    ]) {
      const dir = tempRepo({ 'tasks/gen.ts': task('gen', 'gen'), 'tasks.config.ts': config });
      const r = await runCliAsync(['env-check'], { cwd: dir });
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/^warning: cannot read \S+tasks\.config\.ts: tasks\.config\.ts:3:\d+: nope \(thrown while its default export was read\)/m);
      expect(r.stderr).toMatch(/^error: cannot read \S+tasks\.config\.ts: tasks\.config\.ts:3:\d+: nope/m);
      expect(r.stderr).not.toMatch(/internal error|a bug in promtior-tasks/);
      expect((await runCliAsync(['gen'], { cwd: dir })).code).toBe(0);
    }
  });

  it('deps naming no task: the error names the task and its file, exit 1', async () => {
    const dep = `import { defineTask, cmd } from '@promtior/tasks';\nimport { z } from 'zod';\nexport const t = defineTask({ name: 'with-dep', description: 'd', deps: ['nope'], options: z.object({}), plan: (_o, ctx) => [cmd(['echo', 'x'], { cwd: ctx.cwd })] });\n`;
    const r = await runCliAsync(['with-dep'], { cwd: tempRepo({ 'tasks/dep.ts': dep }) });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('error: task with-dep (tasks/dep.ts) depends on "nope", which is no task.');
  });
});
