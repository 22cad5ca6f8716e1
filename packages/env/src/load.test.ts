import { mkdirSync, mkdtempSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkEnv } from './check.ts';
import { EnvError, EnvErrorCode } from './errors.ts';
import { MAX_ENV_FILE_BYTES } from './files/read-env-file.ts';
import { SHOWN_ISSUES } from './issues.ts';
import { loadEnv } from './load.ts';
import { assistantSpec } from './schema/assistant-spec.ts';
import { work } from './work.ts';

function dir(files: Record<string, string | Buffer> = {}): string {
  const d = mkdtempSync(path.join(tmpdir(), 'env-load-'));
  for (const [f, c] of Object.entries(files)) writeFileSync(path.join(d, f), c);
  return d;
}

const KEY = 'k'.repeat(32);
const SECRET = 'S3cr3t-"quoted"-\\back\\slash';
const keys = Object.keys(assistantSpec);
const secretKeys = ['ADMIN_REINGEST_KEY', 'OPENAI_API_KEY'];

function failure(fn: () => unknown): EnvError {
  try {
    fn();
  } catch (e) {
    if (e instanceof EnvError) return e;
    throw e;
  }
  throw new Error('expected an EnvError');
}

describe('loadEnv: files that cannot be read give one clear EnvError', () => {
  it('a directory named .env', () => {
    const d = dir();
    mkdirSync(path.join(d, '.env'));
    const e = failure(() => loadEnv({ cwd: d }));
    expect([e.code, e.message]).toEqual([
      EnvErrorCode.fileUnreadable,
      `.env (${d}/.env) is a directory, not an env file. Fix: rename or remove the directory named .env, then create the file from .env.example (cp .env.example .env)`,
    ]);
  });

  it('--env-file naming a directory, a missing file, a broken link', () => {
    const d = dir();
    mkdirSync(path.join(d, 'conf'));
    symlinkSync(path.join(d, 'gone'), path.join(d, 'link.env'));
    expect(failure(() => loadEnv({ cwd: d, files: ['conf/'] })).message).toContain('Fix: pass the path of the env file itself, e.g. --env-file conf/.env');
    expect(failure(() => loadEnv({ cwd: d, files: ['nope.env', 'conf'] })).message).toMatch(/^env file not found: nope\.env \(looked in /);
    expect(failure(() => loadEnv({ cwd: d, files: ['link.env'] })).message).toContain(`is a symbolic link to ${d}/gone, which does not exist`);
  });

  it('binary data, UTF-16, a file too large (sparse, so the test writes nothing)', () => {
    const d = dir({ 'bin.env': Buffer.from('A=1\nB=2\0\xff'), 'u16.env': Buffer.from('\xff\xfeA\0=\x001\0', 'latin1'), 'big.env': '' });
    truncateSync(path.join(d, 'big.env'), MAX_ENV_FILE_BYTES + 1);
    expect(failure(() => loadEnv({ cwd: d, files: ['bin.env'] })).message).toContain('is not a text file: it has a NUL byte on line 2 (byte 8)');
    expect(failure(() => loadEnv({ cwd: d, files: ['u16.env'] })).code).toBe(EnvErrorCode.fileBinary);
    expect(failure(() => loadEnv({ cwd: d, files: ['big.env'] })).code).toBe(EnvErrorCode.fileTooLarge);
  });

  it('text that is not UTF-8 is read, with a warning on the first bad line', () => {
    const r = loadEnv({ cwd: dir({ '.env': Buffer.from('A=1\nB=caf\xe9\n', 'latin1') }) });
    expect(r.issues).toMatchObject([{ severity: 'warning', line: 2, message: expect.stringContaining('not valid UTF-8') }]);
  });
});

describe('loadEnv: secrets and everything derived from them', () => {
  it('knows derived values as secret, through other variables and files, and never prints them', () => {
    const d = dir({
      a: `ADMIN_REINGEST_KEY='${SECRET}'\nMID=\${ADMIN_REINGEST_KEY}\n`,
      b: `APP_PORT=\${MID}\nOLLAMA_BASE_URL="http://u:\${ADMIN_REINGEST_KEY}@ollama:11434 x"\nADMIN_REINGEST_KY=typo-secret-value\n`,
    });
    const e = failure(() => checkEnv(assistantSpec, { cwd: d, files: ['a', 'b'], shell: {} }));
    expect(e.issues.map((i) => i.message)).toEqual(
      expect.arrayContaining([
        'APP_PORT is not valid: the value (derived from secret ADMIN_REINGEST_KEY) is not shown; expected an integer from 1 to 65535',
        'OLLAMA_BASE_URL is not valid: the value (derived from secret ADMIN_REINGEST_KEY) is not shown; expected an http:// or https:// URL such as http://ollama:11434',
      ]),
    );
    expect(JSON.stringify(e.issues) + e.message).not.toContain('S3cr3t');
    expect(JSON.stringify(e.issues)).not.toContain('typo-secret-value');
    expect(e.secrets).toEqual(expect.arrayContaining([SECRET, `http://u:${SECRET}@ollama:11434 x`, 'typo-secret-value']));
    expect(Object.keys(e)).not.toContain('secrets');
    expect(JSON.stringify(e)).not.toContain('S3cr3t');
  });

  it('counts a secret from the shell, and what a file builds from it', () => {
    const r = checkEnv(assistantSpec, { cwd: dir({ '.env': `OLLAMA_MODEL=m-\${ADMIN_REINGEST_KEY}\n` }), shell: { ADMIN_REINGEST_KEY: KEY } });
    expect(r.secrets).toEqual(expect.arrayContaining([KEY, `m-${KEY}`]));
  });
});

describe('loadEnv: what compose accepts silently becomes a warning', () => {
  it('a key set twice, with every line', () => {
    const r = loadEnv({ cwd: dir({ '.env': 'OLLAMA_MODEL=a\nX=1\nOLLAMA_MODEL=b\nOLLAMA_MODEL=c\n' }), keys });
    expect(r.values.OLLAMA_MODEL).toBe('c');
    expect(r.issues).toEqual([
      {
        severity: 'warning',
        key: 'OLLAMA_MODEL',
        file: '.env',
        line: 4,
        message: 'OLLAMA_MODEL is set 3 times in .env: at .env:1, .env:3 and .env:4; compose uses the last one (.env:4)',
        fix: 'keep one OLLAMA_MODEL line, the one with the value you mean, and delete the others',
      },
    ]);
  });

  it('a key one typo away from the schema, with both lines', () => {
    const r = loadEnv({ cwd: dir({ '.env': 'APP_PORT=1\nAPP_PROT=2\nOLLAMA_MODL=x\nMY_OWN_THING=1\n' }), keys });
    expect(r.issues.map((i) => `${i.line}: ${i.message}`)).toEqual([
      '2: APP_PROT is not a variable of the schema: did you mean APP_PORT? (APP_PORT itself is set at .env:1)',
      '3: OLLAMA_MODL is not a variable of the schema: did you mean OLLAMA_MODEL?',
    ]);
  });

  it('gives the shell precedence, then earlier files, then earlier lines (as compose does)', () => {
    const d = dir({ base: 'HOST=a\n', over: `HOST=b\nOLLAMA_BASE_URL=http://\${HOST}:1\nOLLAMA_MODEL=$SHELL_ONLY\n` });
    const r = loadEnv({ cwd: d, files: ['base', 'over'], shell: { SHELL_ONLY: 'm' }, keys });
    expect([r.values.OLLAMA_BASE_URL, r.values.OLLAMA_MODEL]).toEqual(['http://a:1', 'm']);
    expect(r.values.HOST).toBeUndefined();
  });
});

describe('loadEnv: a huge or broken file gives a short report in linear work', () => {
  it('lists the first problems and counts the rest', () => {
    const text = 'this is not a .env line\n'.repeat(20_000);
    const r = loadEnv({ cwd: dir({ '.env': text }), keys });
    expect(r.issues).toHaveLength(SHOWN_ISSUES + 1);
    expect(r.issues.at(-1)).toMatchObject({ severity: 'error', message: '19,950 errors more in .env not listed (only the first 50 are shown)' });
    const e = failure(() => checkEnv(assistantSpec, { cwd: dir({ '.env': text }), shell: {} }));
    expect(e.message).toBe('the environment has 20,001 problems (51 listed)');
  });

  it('does work in proportion to the size of the file, whatever its lines', () => {
    const families: Record<string, (n: number) => string> = {
      'unclosed quotes': (n) => `A="x\n${"K='\\'\n".repeat(n)}`,
      'nested defaults': (n) => `V=\${A:-\${B:-\${C}}}$D$$E\n`.repeat(n),
      'deep nesting': (n) => `V=${`\${A:-`.repeat(n)}x${'}'.repeat(n)}\n`,
      'one line of distinct references': (n) => `V=${Array.from({ length: n }, (_, i) => `$R${i}`).join('')}\n`,
      'references to earlier keys': (n) => Array.from({ length: n }, (_, i) => `H${i}=h\nU${i}=http://\${H${i}}\n`).join(''),
      'bad lines': (n) => 'not a line\n'.repeat(n),
      'typos and duplicates': (n) => 'APP_PROT=1\nAPP_PROT=2\n'.repeat(n),
      'one long key': (n) => `${'K'.repeat(n * 10)}=1\n`,
    };
    for (const [name, make] of Object.entries(families)) {
      const perChar = (n: number) => {
        const text = make(n);
        work.steps = 0;
        loadEnv({ cwd: dir({ '.env': text }), keys, secretKeys });
        return work.steps / text.length;
      };
      expect(perChar(8000), name).toBeLessThan(perChar(1000) * 1.25 + 1);
    }
  });
});
