import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { checkEnv } from '../check.ts';
import { EnvError } from '../errors.ts';
import { loadEnv } from '../load.ts';
import { assistantSpec } from './assistant-spec.ts';
import { defineSpec, extendSpec } from './spec.ts';
import { validateEnv } from './validate.ts';
import { workflowSpec } from './workflow-spec.ts';

function dir(files: Record<string, string>): string {
  const d = mkdtempSync(path.join(tmpdir(), 'env-'));
  for (const [f, c] of Object.entries(files)) writeFileSync(path.join(d, f), c);
  return d;
}

const KEY = 'k'.repeat(32);

describe('validateEnv', () => {
  it('passes with only the required secret, filling defaults', () => {
    const r = checkEnv(assistantSpec, { cwd: dir({ '.env': `ADMIN_REINGEST_KEY=${KEY}\n` }), shell: {} });
    expect(r.values).toMatchObject({ ENVIRONMENT: 'production', LLM_PROVIDER: 'ollama', APP_PORT: '8000', OLLAMA_BASE_URL: 'http://ollama:11434' });
    expect(r.typed.APP_PORT).toBe(8000);
    expect(r.secrets).toEqual([KEY]);
  });

  it('collects every problem with file:line and never includes a secret value', () => {
    const cwd = dir({ '.env': 'APP_PORT=0\nLLM_PROVIDER=openai\nOLLAMA_BASE_URL=ollama:11434\nADMIN_REINGEST_KEY=short-secret\n' });
    const err = (() => {
      try {
        checkEnv(assistantSpec, { cwd, shell: {} });
      } catch (e) {
        return e as EnvError;
      }
    })();
    expect(err).toBeInstanceOf(EnvError);
    const issues = err?.issues.map((i) => `${i.key}@${i.line ?? '-'}`);
    expect(issues).toEqual(expect.arrayContaining(['APP_PORT@1', 'OPENAI_API_KEY@-', 'OLLAMA_BASE_URL@3', 'ADMIN_REINGEST_KEY@4']));
    expect(JSON.stringify(err?.issues)).not.toContain('short-secret');
  });

  it('lets the shell override .env, and later --env-file win over earlier ones', () => {
    const cwd = dir({ a: `APP_PORT=1000\nADMIN_REINGEST_KEY=${KEY}\n`, b: 'APP_PORT=2000\n' });
    expect(checkEnv(assistantSpec, { cwd, files: ['a', 'b'], shell: {} }).values.APP_PORT).toBe('2000');
    const r = loadEnv({ cwd, files: ['a', 'b'], shell: { APP_PORT: '3000' }, keys: ['APP_PORT'] });
    expect([r.values.APP_PORT, r.origins.APP_PORT]).toEqual(['3000', { kind: 'shell' }]);
  });

  it('treats KEY= as unset and points at the line', () => {
    const r = validateEnv(assistantSpec, loadEnv({ cwd: dir({ '.env': 'ADMIN_REINGEST_KEY=\n' }), shell: {} }));
    expect(r.issues[0]).toMatchObject({ key: 'ADMIN_REINGEST_KEY', line: 1, message: 'ADMIN_REINGEST_KEY is empty' });
  });

  it('names the .env it looked for when a required variable is missing and no file was read, and the file when one was', () => {
    const empty = dir({});
    const [none] = validateEnv(assistantSpec, loadEnv({ cwd: empty, shell: {} })).issues;
    expect(none?.message).toBe(`ADMIN_REINGEST_KEY is not set: it is in neither ${path.join(empty, '.env')} (there is no such file) nor the shell environment`);
    expect(none?.fix).toContain(`add ADMIN_REINGEST_KEY=... to ${path.join(empty, '.env')};`);
    const [read] = validateEnv(assistantSpec, loadEnv({ cwd: dir({ '.env': 'APP_PORT=8000\n' }), shell: {} })).issues;
    expect(read).toMatchObject({ file: '.env', message: expect.stringContaining('it is in neither .env nor the shell environment') });
    expect(read?.fix).toContain('add ADMIN_REINGEST_KEY=... to .env;');
    // A ResolvedEnv made by hand, without the folder: the message says .env, as before the folder was named.
    const { dir: _dir, ...byHand } = loadEnv({ cwd: empty, shell: {} });
    expect(validateEnv(assistantSpec, byHand).issues[0]?.message).toBe('ADMIN_REINGEST_KEY is not set: it is in neither .env nor the shell environment');
  });

  it('reports a missing --env-file', () => {
    expect(() => loadEnv({ cwd: dir({}), files: ['nope.env'] })).toThrow(/env file not found: nope.env/);
  });

  it('validates a repo-specific extension like the base', () => {
    const spec = extendSpec(assistantSpec, defineSpec({ CHROMA_DIR: { description: 'x', schema: z.string().startsWith('/'), expected: 'an absolute path' } }));
    const r = validateEnv(spec, loadEnv({ cwd: dir({ '.env': `ADMIN_REINGEST_KEY=${KEY}\nCHROMA_DIR=rel\n` }), shell: {} }));
    expect(r.issues.map((i) => i.message)).toEqual(['CHROMA_DIR is "rel", expected an absolute path']);
  });
});

describe('validateEnv: a secret never becomes a build arg', () => {
  const SECRET = 'Zq9XwKp7Lm3Rt8Vy';
  const failure = (env: string, shell: Record<string, string> = {}) => {
    try {
      checkEnv(workflowSpec, { cwd: dir({ '.env': env }), shell });
    } catch (e) {
      return e as EnvError;
    }
    throw new Error('env-check passed');
  };

  it('rejects a build arg built from a secret by interpolation, naming the variable, its line and the fix', () => {
    const err = failure(`ADMIN_REINGEST_KEY=${SECRET}\nAPP_COMMAND=python3 app.py --key \${ADMIN_REINGEST_KEY}\nDEV_COMMAND=run $ADMIN_REINGEST_KEY\n`);
    const baked = err.issues.filter((i) => i.message.includes('build arg'));
    expect(baked.map((i) => `${i.key}@${i.file}:${i.line}`)).toEqual(['APP_COMMAND@.env:2', 'DEV_COMMAND@.env:3']);
    expect(baked[0]?.message).toContain('holds the secret ADMIN_REINGEST_KEY');
    expect(baked[0]?.fix).toContain('at run time');
    expect(JSON.stringify(err.issues)).not.toContain(SECRET);
  });

  it('rejects a build arg holding the secret typed out, or set in the shell', () => {
    expect(failure(`ADMIN_REINGEST_KEY=${SECRET}\nAPP_COMMAND=python3 app.py --key ${SECRET}\n`).issues.map((i) => i.key)).toEqual(['APP_COMMAND']);
    expect(failure(`ADMIN_REINGEST_KEY=${SECRET}\n`, { APP_MODULE: `x${SECRET}` }).issues.map((i) => i.key)).toEqual(['APP_MODULE']);
  });

  it('accepts build args that do not hold a secret', () => {
    const cwd = dir({ '.env': `ADMIN_REINGEST_KEY=${SECRET}\nAPP_COMMAND=python3 app.py --key-file /run/secrets/admin_reingest_key\n` });
    expect(checkEnv(workflowSpec, { cwd, shell: {} }).values.APP_COMMAND).toContain('--key-file');
  });
});
