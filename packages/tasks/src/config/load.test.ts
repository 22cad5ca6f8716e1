/**
 * tasks.config.ts mistakes as loadConfig reports them (the CLI prints the message and exits 1): the cases of
 * test/config.test.ts that differ only in the config's text, checked here without a CLI start each. The e2e file keeps
 * one real CLI run per kind: a schema error, a default export that is not an object, an unknown task in `disable` (the
 * CLI hands the names), a file that does not load (Node's own loader places it, not vitest's).
 */
import { mkdtempSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from './load.ts';

const BUILTINS = ['docker-build', 'docker-run', 'env-check'];

/** The message loadConfig fails with for `text` as the repo's config file (or '' when it loads). */
async function fails(text: string, file = 'tasks.config.ts'): Promise<string> {
  const dir = realpathSync(mkdtempSync(path.join(tmpdir(), 'config-load-')));
  writeFileSync(path.join(dir, file), text);
  try {
    await loadConfig(dir, BUILTINS);
    return '';
  } catch (error) {
    return (error as Error).message;
  }
}

describe('loadConfig: mistakes named with the key and file:line', () => {
  it('no default export, or a default export that is not an object', async () => {
    expect(await fails("export const config = { image: 'a:1' };\n")).toContain('has no default export, so it configures nothing');
    expect(await fails('const a = 1;\nexport default null;\n')).toContain('tasks.config.ts:2: the default export is null, not an object');
    expect(await fails("export default 'x';\n")).toContain("tasks.config.ts:1: the default export is 'x', not an object");
    expect(await fails('export default [];\n')).toContain('tasks.config.ts:1: the default export is [], not an object');
  });

  it('unknown keys and wrong types, each at its line', async () => {
    const err = await fails(`export default {\n  image: 'a:1',\n  healthpath: '/h',\n  composeFiles: {\n    full: 'docker-compose.yml',\n  },\n};\n`);
    expect(err).toContain('tasks.config.ts:3: healthpath: unknown key');
    expect(err).toMatch(/tasks\.config\.ts:5: composeFiles\.full: .*expected array/i);
    expect(err).toContain('Fix the keys named.');
  });

  it('a task in `disable` that does not exist, with the closest built-in, or the list when none is close', async () => {
    expect(await fails("export default {\n  image: 'a:1',\n  disable: [\n    'docker-biuld',\n  ],\n};\n")).toContain(
      'tasks.config.ts:4: disable: "docker-biuld" is not a built-in task. Did you mean docker-build?',
    );
    expect(await fails("export default { disable: ['zzzzzzzzzz'] };\n")).toContain(
      'disable: "zzzzzzzzzz" is not a built-in task. The built-ins are: docker-build, docker-run, env-check.',
    );
  });

  it('a thrown value that is not an Error is shown, at the line of the throw', async () => {
    const err = await fails("const a = 1;\nthrow 'x';\n");
    expect(err).toContain("tasks.config.ts:2: threw 'x' while loading");
    expect(err).toContain('Fix the file');
  });

  it('an empty list of allowed values and an invalid pattern are config errors at their key', async () => {
    const err = await fails(
      "export default {\n  env: {\n    MODE: { description: 'm', values: [] },\n    CODE: {\n      description: 'c',\n      pattern: '([a-z',\n    },\n  },\n};\n",
    );
    expect(err).toMatch(/tasks\.config\.ts:3: env\.MODE\.values: an empty list would reject every value/);
    expect(err).toMatch(/tasks\.config\.ts:6: env\.CODE\.pattern: not a valid regular expression: .*Unterminated/);
    expect(err).not.toContain('internal error');
  });

  it('a default for a variable outside the schema, with the closest name', async () => {
    expect(await fails("export default { defaults: { APP_PROT: '8000' } };\n")).toMatch(
      /tasks\.config\.ts:1: defaults\.APP_PROT: not a variable of this repo's schema\. Did you mean APP_PORT\?/,
    );
  });

  it('a valid config loads as written; an empty one means the defaults', async () => {
    const dir = realpathSync(mkdtempSync(path.join(tmpdir(), 'config-load-')));
    writeFileSync(path.join(dir, 'tasks.config.ts'), "export default { image: 'team/app:2', disable: ['docker-run'] };\n");
    expect(await loadConfig(dir, BUILTINS)).toEqual({ image: 'team/app:2', disable: ['docker-run'] });
    expect(await fails('export default {};\n')).toBe('');
  });
});
