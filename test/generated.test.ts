import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { generatedFiles } from '../tasks/generate.ts';
import { ROOT } from './helpers/cli.ts';

describe('files generated from the env schema and the bench results (figure blocks) are up to date', () => {
  it.each(generatedFiles())('$file (regenerate with `pnpm task generate`)', ({ file, content }) => {
    expect(readFileSync(path.join(ROOT, file), 'utf8')).toBe(content);
  });
});
