import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { assertComposeFiles, checkComposeFile } from './compose-check.ts';

function file(text: string): string {
  const f = path.join(mkdtempSync(path.join(tmpdir(), 'compose-')), 'docker-compose.yml');
  writeFileSync(f, text);
  return f;
}

describe('checkComposeFile', () => {
  it('accepts a valid file', () => {
    expect(checkComposeFile(file('services:\n  app:\n    image: x\n'))).toEqual([]);
  });

  it('reports a YAML error with line and column', () => {
    const [p] = checkComposeFile(file('services:\n  app:\n    image: x\n   ports: [1\n'));
    expect(p?.line).toBeGreaterThanOrEqual(4);
    expect(p?.message).toBeTruthy();
  });

  it('reports duplicate keys and a services key that is not a mapping', () => {
    expect(checkComposeFile(file('services:\n  app: {}\n  app: {}\n'))[0]?.message).toMatch(/unique/i);
    expect(checkComposeFile(file('services:\n  - app\n'))[0]).toMatchObject({
      line: 2,
      message: '"services" must be a mapping of service names to their settings',
    });
  });

  it('names a missing file, and throws one error for all problems', () => {
    expect(checkComposeFile('/no/such/compose.yml')[0]?.message).toBe('the file does not exist or cannot be read');
    expect(() => assertComposeFiles([file('services: [\n'), '/no/such.yml'])).toThrow(
      /compose files are broken: .*docker-compose\.yml:\d+.*; \/no\/such\.yml: the file does not exist/,
    );
  });
});
