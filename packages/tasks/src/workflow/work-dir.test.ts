import { chownSync, mkdirSync, mkdtempSync, realpathSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ActionStep, RunContext } from '../model/steps.ts';
import { claimWorkDir, workDir } from './work-dir.ts';

const uid = process.getuid?.() ?? 1000;
const temp = () => realpathSync(mkdtempSync(path.join(tmpdir(), 'work-dir-')));
const claim = (dir: string) => (claimWorkDir(dir, uid) as ActionStep).run({} as RunContext);

describe('work folders', () => {
  it('have deterministic names inside the per-user folder (runtime folder first), never directly in the shared temp folder', () => {
    expect(workDir({ XDG_RUNTIME_DIR: '/run/user/1000' }, 1000, 'sbom-abc')).toBe('/run/user/1000/promtior-tasks-1000/work/sbom-abc');
    expect(workDir({}, 0, 'push-abc')).toBe(path.join(tmpdir(), 'promtior-tasks-0', 'work', 'push-abc'));
    expect(workDir({ XDG_RUNTIME_DIR: 'relative' }, 0, 'x')).toBe(path.join(tmpdir(), 'promtior-tasks-0', 'work', 'x'));
  });

  it('are claimed before use: every level made mode 0700 and ours', () => {
    const run = temp();
    const dir = workDir({ XDG_RUNTIME_DIR: run }, uid, 'sbom-1');
    claim(dir);
    for (const d of [path.join(run, `promtior-tasks-${uid}`), path.dirname(dir)]) {
      expect(statSync(d).mode & 0o777).toBe(0o700);
      expect(statSync(d).uid).toBe(uid);
    }
  });

  it('refuse a planted link, and a folder of another user where ours should be', () => {
    const run = temp();
    const target = temp();
    symlinkSync(target, path.join(run, `promtior-tasks-${uid}`));
    expect(() => claim(workDir({ XDG_RUNTIME_DIR: run }, uid, 'push-1'))).toThrow(
      /promtior-tasks-\d+ is a symbolic link, so files cannot be kept private there\. Fix: remove it/,
    );
    if (uid !== 0) return; // only root can make a folder that belongs to someone else
    const shared = temp();
    mkdirSync(path.join(shared, `promtior-tasks-${uid}`, 'work'), { recursive: true, mode: 0o777 });
    chownSync(path.join(shared, `promtior-tasks-${uid}`, 'work'), 4321, 4321);
    expect(() => claim(workDir({ XDG_RUNTIME_DIR: shared }, uid, 'push-1'))).toThrow(/work belongs to uid 4321/);
  });
});
