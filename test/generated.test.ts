import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { generatedFiles } from '../tasks/generate.ts';
import { installedZodVersion, ZOD_BUNDLE, zodBundle } from '../tasks/vendor-zod.ts';
import { ROOT, runCli } from './helpers/cli.ts';

describe('files generated from the env schema and the bench results (figure blocks) are up to date', () => {
  it.each(generatedFiles())('$file (regenerate with `pnpm task generate`)', ({ file, content }) => {
    expect(readFileSync(path.join(ROOT, file), 'utf8')).toBe(content);
  });
});

describe("the CLI's one-file zod", () => {
  it(`${ZOD_BUNDLE} is what rolldown makes of the installed zod (regenerate with \`pnpm task generate\`)`, async () => {
    const { file, content } = await zodBundle();
    expect(content.split('\n')[0]).toContain(`zod ${installedZodVersion()} in one file`);
    expect(readFileSync(path.join(ROOT, file), 'utf8')).toBe(content);
  });
});

describe('the README', () => {
  it('shows what `./task --list` prints in this repo (paste the output into its block when a task changes)', () => {
    const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const block = readme.match(/`\.\/task --list` in this repo:\n\n```text\n([\s\S]*?)```/)?.[1];
    const list = runCli(['--list'], { cwd: ROOT });
    expect(list.code, list.all).toBe(0);
    expect(block?.trimEnd()).toBe(list.stdout.trimEnd());
  });
});
