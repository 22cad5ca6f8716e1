/** Issue 9, items 8, 15 and 16 (env part): plain decimal numbers, typos and duplicates, a bounded report. */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { GOOD_KEY, runCli, tempRepo } from '../helpers/cli.ts';

const keyLine = `ADMIN_REINGEST_KEY=${GOOD_KEY}\n`;

describe('hostile .env: numbers are plain decimal', () => {
  it.each(['0x50', '1e3', '+8000', '0080'])('APP_PORT=%s is rejected', (port) => {
    const r = runCli(['env-check'], { cwd: tempRepo({ '.env': `${keyLine}APP_PORT=${port}\n` }) });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`.env:2: APP_PORT is "${port}", expected an integer from 1 to 65535 written in plain decimal digits`);
  });
});

describe('hostile .env: what compose accepts silently', () => {
  it('warns about keys one typo away from the schema, and about keys set twice, with both lines', () => {
    const r = runCli(['env-check'], { cwd: tempRepo({ '.env': `${keyLine}APP_PROT=9000\nOLLAMA_MODL=llama3\nOLLAMA_MODEL=a\nOLLAMA_MODEL=b\n` }) });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('.env:2: APP_PROT is not a variable of the schema: did you mean APP_PORT?');
    expect(r.stdout).toContain('.env:3: OLLAMA_MODL is not a variable of the schema: did you mean OLLAMA_MODEL? (OLLAMA_MODEL itself is set at .env:5)');
    expect(r.stdout).toContain('.env:5: OLLAMA_MODEL is set 2 times in .env: at .env:4 and .env:5; compose uses the last one (.env:5)');
  });
});

describe('hostile .env: a huge or broken file', () => {
  it('reports the first problems and a count of the rest, in a few KB', () => {
    const dir = tempRepo();
    const lines = Array.from({ length: 100_000 }, (_, i) => (i % 2 ? `this is line ${i} of a pasted log \x1b[31m` : `BROKEN_${i}="unterminated`));
    writeFileSync(path.join(dir, 'big.env'), `${lines.join('\n')}\n`);
    const r = runCli(['env-check', '--env-file', 'big.env'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/error: the environment has [\d,]+ problems \(\d+ listed\)/);
    expect(r.stderr).toMatch(/✖ [\d,]+ errors and [\d,]+ warnings more in \S*\/big\.env not listed \(only the first 50 are shown\)/);
    expect(r.all.length).toBeLessThan(30_000);
  });
});
