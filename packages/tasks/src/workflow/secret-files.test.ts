/** Secret files on the real filesystem: where they go, who may read them, when their name changes, what env-check says. */
import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  statSync,
  symlinkSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { EnvError, workflowSpec } from '@promtior/env';
import { describe, expect, it } from 'vitest';
import { type Output, output } from '../model/data-flow.ts';
import type { ActionStep, RunContext } from '../model/steps.ts';
import { checkSecretFiles, secretsDir, withSecretFiles, writeSecretFiles } from './secret-files.ts';

const KEY = 'secret-admin-key-0123456789abcdef';
const uid = process.getuid?.() ?? 1000;
const temp = () => realpathSync(mkdtempSync(path.join(tmpdir(), 'secret-files-')));

/** Runs the write step as the executor would, with `values` as what env-check validated. */
function write(dir: string, values: Record<string, string>, projectDir = temp()): Record<string, string> {
  const from: Output<Readonly<Record<string, string>>> = output('validated-env');
  const step = writeSecretFiles(dir, projectDir, { uid }, from) as ActionStep<Record<string, string>>;
  const logs: string[] = [];
  const rt = { get: () => values, log: (t: string) => logs.push(t) } as unknown as RunContext;
  return step.run(rt) as Record<string, string>;
}

describe('secretsDir', () => {
  it("is per user and per compose project, in the runtime folder when there is one, else the temp folder; never the project's", () => {
    const project = { dir: '/work/shop', name: 'shop' };
    expect(secretsDir(project, { uid: 1000 }, { XDG_RUNTIME_DIR: '/run/user/1000' })).toBe('/run/user/1000/promtior-tasks-1000/secrets/shop');
    expect(secretsDir(project, { uid: 0 }, {})).toBe(path.join(tmpdir(), 'promtior-tasks-0', 'secrets', 'shop'));
    expect(secretsDir(project, { uid: 0 }, { XDG_RUNTIME_DIR: 'relative' })).toBe(path.join(tmpdir(), 'promtior-tasks-0', 'secrets', 'shop'));
  });
});

describe('writeSecretFiles', () => {
  it('writes each key into a private folder, readable by the app uid, and hands compose the paths', () => {
    const dir = path.join(temp(), `promtior-tasks-${uid}`, 'secrets', 'shop');
    const env = write(dir, { ADMIN_REINGEST_KEY: KEY, APP_PORT: '8000' });
    expect(env.APP_PORT).toBe('8000');
    expect(readFileSync(env.ADMIN_REINGEST_KEY_FILE as string, 'utf8')).toBe(KEY);
    // No OpenAI key: an empty file, which the app reads as unset.
    expect(readFileSync(env.OPENAI_API_KEY_FILE as string, 'utf8')).toBe('');
    for (let d = dir; d !== path.dirname(path.dirname(path.dirname(dir))); d = path.dirname(d)) expect(statSync(d).mode & 0o777).toBe(0o700);
    // Readable by any uid the app runs as inside the container; the 0700 folders keep other users here out.
    expect(statSync(env.ADMIN_REINGEST_KEY_FILE as string).mode & 0o777).toBe(0o644);
  });

  it('keeps the file (and so the container) while the value stays, and writes a new name when it changes', () => {
    const dir = path.join(temp(), `promtior-tasks-${uid}`, 'secrets', 'shop');
    const first = write(dir, { ADMIN_REINGEST_KEY: KEY }).ADMIN_REINGEST_KEY_FILE;
    expect(write(dir, { ADMIN_REINGEST_KEY: KEY }).ADMIN_REINGEST_KEY_FILE).toBe(first);
    const changed = write(dir, { ADMIN_REINGEST_KEY: `${KEY}-rotated` }).ADMIN_REINGEST_KEY_FILE;
    expect(changed).not.toBe(first);
    expect(readdirSync(dir).filter((f) => f.startsWith('admin_reingest_key.'))).toEqual([path.basename(changed as string)]);
  });

  it('passes a file .env names through (made absolute from the project folder) and writes none for it', () => {
    const project = temp();
    const dir = path.join(temp(), `promtior-tasks-${uid}`, 'secrets', 'shop');
    const env = write(dir, { ADMIN_REINGEST_KEY_FILE: 'keys/admin', ADMIN_REINGEST_KEY: KEY }, project);
    expect(env.ADMIN_REINGEST_KEY_FILE).toBe(path.join(project, 'keys/admin'));
    expect(readdirSync(dir).some((f) => f.startsWith('admin_reingest_key.'))).toBe(false);
  });

  it('refuses a folder on the way that is a link or belongs to someone else', () => {
    const base = temp();
    mkdirSync(path.join(base, 'elsewhere'));
    symlinkSync(path.join(base, 'elsewhere'), path.join(base, `promtior-tasks-${uid}`));
    expect(() => write(path.join(base, `promtior-tasks-${uid}`, 'secrets', 'shop'), { ADMIN_REINGEST_KEY: KEY })).toThrow(
      /promtior-tasks-\d+ is a symbolic link, so files cannot be kept private there\. Fix: remove it/,
    );
    if (uid !== 0) return;
    const other = temp();
    mkdirSync(path.join(other, 'promtior-tasks-0'), { mode: 0o700 });
    chownSync(path.join(other, 'promtior-tasks-0'), 4242, 4242);
    expect(() => write(path.join(other, 'promtior-tasks-0', 'secrets', 'shop'), { ADMIN_REINGEST_KEY: KEY })).toThrow(/belongs to uid 4242/);
  });
});

describe('env-check of secrets given as files', () => {
  const spec = withSecretFiles(workflowSpec);

  it('a KEY_FILE waives the KEY it holds; without either, the key is still required', () => {
    const required = spec.ADMIN_REINGEST_KEY?.required;
    expect(typeof required).toBe('object');
    if (typeof required !== 'object') return;
    expect(required.when({})).toBe(true);
    expect(required.when({ ADMIN_REINGEST_KEY_FILE: '/run/secrets/x' })).toBe(false);
    expect(workflowSpec.ADMIN_REINGEST_KEY?.required).toBe(true);
  });

  it('reads each file, masks what it holds, and checks it like the variable', () => {
    const dir = temp();
    writeFileSync(path.join(dir, 'admin'), `${KEY}\n`, { mode: 0o644 });
    const masked: string[] = [];
    const issues = checkSecretFiles(spec, { ADMIN_REINGEST_KEY_FILE: 'admin' }, dir, (v) => masked.push(...v));
    expect(issues).toEqual([]);
    expect(masked).toEqual([KEY]);
  });

  it('names the variable, the path and the fix for a missing, empty, invalid or directory file; never the value', () => {
    const dir = temp();
    writeFileSync(path.join(dir, 'short'), 'tooshort');
    writeFileSync(path.join(dir, 'empty'), '\n');
    mkdirSync(path.join(dir, 'folder'));
    const fail = (values: Record<string, string>) => {
      try {
        checkSecretFiles(spec, values, dir, () => {});
      } catch (error) {
        expect(error).toBeInstanceOf(EnvError);
        return (error as EnvError).issues.map((i) => `${i.severity} ${i.message} | ${i.fix}`).join('\n');
      }
      throw new Error('no error');
    };
    expect(fail({ ADMIN_REINGEST_KEY_FILE: 'nope' })).toContain(`error ADMIN_REINGEST_KEY_FILE is ${dir}/nope, but there is no such file`);
    expect(fail({ ADMIN_REINGEST_KEY_FILE: 'empty' })).toContain(`ADMIN_REINGEST_KEY_FILE is ${dir}/empty, which is empty | write ADMIN_REINGEST_KEY into it`);
    const short = fail({ ADMIN_REINGEST_KEY_FILE: 'short' });
    expect(short).toContain('which does not hold a valid ADMIN_REINGEST_KEY: expected a random string of at least 16 characters (the text, 8 characters long');
    expect(short).not.toContain('tooshort');
    expect(fail({ OPENAI_API_KEY_FILE: 'folder', ADMIN_REINGEST_KEY: KEY })).toContain('which is not a regular file');
  });

  it('an empty file for a key nobody needs is fine (no OpenAI key with Ollama); with LLM_PROVIDER=openai it is not', () => {
    const dir = temp();
    writeFileSync(path.join(dir, 'openai'), '', { mode: 0o644 });
    expect(checkSecretFiles(spec, { OPENAI_API_KEY_FILE: 'openai' }, dir, () => {})).toEqual([]);
    expect(() => checkSecretFiles(spec, { OPENAI_API_KEY_FILE: 'openai', LLM_PROVIDER: 'openai' }, dir, () => {})).toThrow(EnvError);
  });

  it('warns when both forms are set, and when the app (uid 1001) could not read the file through the bind mount', () => {
    const dir = temp();
    writeFileSync(path.join(dir, 'admin'), KEY);
    chmodSync(path.join(dir, 'admin'), 0o600);
    const issues = checkSecretFiles(spec, { ADMIN_REINGEST_KEY_FILE: 'admin', ADMIN_REINGEST_KEY: KEY }, dir, () => {});
    expect(issues.map((i) => i.severity)).toEqual(['warning', 'warning']);
    expect(issues[0]?.message).toBe(
      'ADMIN_REINGEST_KEY and ADMIN_REINGEST_KEY_FILE are both set: the file wins, as it does in the app, and ADMIN_REINGEST_KEY is not used',
    );
    expect(issues[1]?.message).toMatch(/mode 0600, owned by uid \d+: compose mounts the file as it is, so the app \(uid 1001\) cannot read it/);
    expect(issues[1]?.fix).toMatch(/^chmod 0644 .* or give it to uid 1001/);
  });

  it('refuses a huge file (checked before reading), a system file or a link to one, /proc and a FIFO; never advises chmod on them', () => {
    const dir = temp();
    const fail = (given: string) => {
      try {
        checkSecretFiles(spec, { ADMIN_REINGEST_KEY_FILE: given }, dir, () => {});
      } catch (error) {
        const issue = (error as EnvError).issues[0];
        return `${issue?.message} | ${issue?.fix}`;
      }
      throw new Error(`${given} was accepted`);
    };
    // 3 GB, sparse: reading it would take seconds and gigabytes; fstat answers at once.
    const huge = path.join(dir, 'huge');
    writeFileSync(huge, '');
    truncateSync(huge, 3 * 1024 ** 3);
    expect(fail('huge')).toContain('which is larger than a key file can be (over 64 KiB)');
    writeFileSync(path.join(dir, 'big'), 'k'.repeat(64 * 1024 + 1));
    expect(fail('big')).toContain('larger than a key file');
    symlinkSync('/etc/shadow', path.join(dir, 'shadow-link'));
    for (const given of ['/etc/shadow', 'shadow-link', '/proc/self/environ', '/dev/zero']) {
      const text = fail(given);
      expect(text).toContain('a system file, not a key file: compose would mount it into the container');
      expect(text).toContain("point ADMIN_REINGEST_KEY_FILE at a file of the project's own that holds only ADMIN_REINGEST_KEY (mode 0600)");
      expect(text).not.toContain('chmod');
    }
    expect(fail('shadow-link')).toContain('shadow-link, a link to /etc/shadow, a system file');
    execFileSync('mkfifo', [path.join(dir, 'fifo')]);
    expect(fail('fifo')).toContain('which is not a regular file');
  });

  it('reads a key file of exactly the cap', () => {
    const dir = temp();
    writeFileSync(path.join(dir, 'admin'), 'k'.repeat(64 * 1024), { mode: 0o644 });
    expect(checkSecretFiles(spec, { ADMIN_REINGEST_KEY_FILE: 'admin' }, dir, () => {})).toEqual([]);
  });
});
