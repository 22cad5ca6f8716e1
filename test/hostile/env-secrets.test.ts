/** Issue 9, items 2 and 5 (env side): secrets that travel through interpolation, and terminal escapes in .env files. */
import { describe, expect, it } from 'vitest';
import { runCli, tempRepo } from '../helpers/cli.ts';

const SECRET = 'k3y-"with"-\\quotes\\-0123456789abcdef';
const keyLine = `ADMIN_REINGEST_KEY='${SECRET}'\n`;

describe('hostile .env: secrets through interpolation', () => {
  it('never prints a secret that another variable takes in, in any output mode', () => {
    const dir = tempRepo({ '.env': `${keyLine}APP_PORT=\${ADMIN_REINGEST_KEY}\nOLLAMA_BASE_URL=http://admin:\${ADMIN_REINGEST_KEY}@ollama:11434/x y\n` });
    for (const args of [['env-check'], ['env-check', '--verbose'], ['env-check', '--output', 'json']]) {
      const r = runCli(args, { cwd: dir });
      expect(r.code, args.join(' ')).toBe(1);
      for (const form of [SECRET, JSON.stringify(SECRET).slice(1, -1), SECRET.slice(0, 12)]) expect(r.all, args.join(' ')).not.toContain(form);
    }
    const text = runCli(['env-check'], { cwd: dir }).stderr;
    expect(text).toContain('.env:2: APP_PORT is not valid: the value (derived from secret ADMIN_REINGEST_KEY) is not shown');
    expect(text).toContain('.env:3: OLLAMA_BASE_URL is not valid: the value (derived from secret ADMIN_REINGEST_KEY) is not shown');
  });

  it('names the real cause of a portability warning (a substitution, not a "#")', () => {
    const r = runCli(['env-check'], { cwd: tempRepo({ '.env': `${keyLine}OLLAMA_MODEL=\${ADMIN_REINGEST_KEY}\n` }) });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      ".env:2: OLLAMA_MODEL reads differently with node's dotenv than with docker compose: compose replaces ${ADMIN_REINGEST_KEY} with its value",
    );
    expect(r.stdout).not.toContain('cuts the value at "#"');
    expect(r.all).not.toContain(SECRET.slice(0, 12));
  });
});

describe('hostile .env: terminal escapes', () => {
  it('prints escapes in values and names as text, never as raw control characters', () => {
    const r = runCli(['env-check'], { cwd: tempRepo({ '.env': `${keyLine}ENVIRONMENT=\x1b]0;pwned\x07\x1b[2J\n\x1b[31mRED=1\nAPP_PORT="\u202e08"\n` }) });
    expect(r.code).toBe(1);
    // biome-ignore lint/suspicious/noControlCharactersInRegex: the point is that none get through.
    expect(r.all).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f-\x9f\u202e]/);
    expect(r.stderr).toContain('ENVIRONMENT is "\\x1b]0;pwned\\x07\\x1b[2J"');
    expect(r.stderr).toContain('unexpected character "\\x1b" in a variable name');
    expect(r.stderr).toContain('APP_PORT is "\\u202e08"');
  });
});
