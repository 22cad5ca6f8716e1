import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { inBatches, runCliAsync } from './helpers/cli.ts';
import { OLD_FILES, oldRepo, snapshot } from './helpers/old-repo.ts';
import { teamRepo } from './helpers/team-repos.ts';

/**
 * A machine without Docker (no docker, no compose on PATH): migrate checks statically and does file work only,
 * which is what the crash points are about, at the cost of the file work alone.
 */
const NO_DOCKER = { PATH: path.dirname(process.execPath), DOCKER: '/nonexistent/docker' };

/**
 * Every file under `dir` (.backups/ too, node_modules aside) with its mode and bytes, as one string. Masked: what
 * differs between two runs that did the same (the backup id, the times, the pid in the lock a killed run left, and
 * the folder's own name, task-e2e-XXXXXX: letters and digits). Two folders with the same state are the same input
 * to --rollback and to the next migrate (which compare files by their hashes, never by their times).
 */
function folderState(dir: string): string {
  const mask = (text: string) =>
    text
      .replace(new RegExp(path.basename(dir), 'gi'), '<dir>') // the compose project name is the folder's, lowercased
      .replace(/\d{8}T\d{6}Z/g, '<id>')
      .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z/g, '<time>')
      .replace(/"pid":\d+/g, '"pid":<pid>');
  const lines: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      if (e.name === 'node_modules') continue;
      const p = path.join(d, e.name);
      const mode = (statSync(p).mode & 0o777).toString(8);
      if (e.isDirectory()) {
        lines.push(`${mask(path.relative(dir, p))}/ ${mode}`);
        walk(p);
      } else lines.push(`${mask(path.relative(dir, p))} ${mode} ${mask(readFileSync(p, 'latin1'))}`);
    }
  };
  walk(dir);
  return lines.join('\n');
}

// Each case has its own repo: side by side, so their CLI starts overlap (and fill the crash case's pauses).
describe.concurrent('migrate (files only)', () => {
  it('--dry-run prints the plan as a diff and changes nothing', async () => {
    const dir = oldRepo();
    const before = snapshot(dir);
    const r = await runCliAsync(['migrate', '--dry-run'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('#   Dockerfile:6  CMD ["python3", "-m", "app.main"]  -> APP_MODULE=app.main');
    expect(r.stdout).toContain('#   replace Dockerfile');
    expect(r.stdout).toContain('#     -FROM python:3.12-slim');
    expect(r.stdout).toMatch(/# {3}add docker-compose\.dev\.yml\n# {5}\(\d+ lines\)/);
    expect(r.stdout).toContain('#     +\tpnpm task docker-build');
    expect(snapshot(dir)).toEqual(before);
    expect(existsSync(path.join(dir, '.backups'))).toBe(false);
  });

  it('replace: adopts the assets, rewrites only the docker targets, is idempotent, and --rollback restores the exact bytes', async () => {
    const dir = oldRepo();
    const before = snapshot(dir);
    const r = await runCliAsync(['migrate', '--no-build'], { cwd: dir });
    expect(r.code, r.all).toBe(0);
    expect(r.stdout).toMatch(/backup \S+: \.env, Dockerfile, Makefile, docker-compose\.yml \(verified\)/);
    const makefile = readFileSync(path.join(dir, 'Makefile'), 'utf8');
    expect(makefile).toContain('test:\n\tpytest -q\n');
    expect(makefile).toContain('docker-clean:\n\tpnpm task docker-clean\n');
    expect(makefile).not.toContain('system prune');
    expect(readFileSync(path.join(dir, 'Dockerfile'), 'utf8')).toContain('FROM base AS production');
    expect(readFileSync(path.join(dir, 'docker-compose.yml'), 'utf8')).toMatch(/^ {2}app:$/m);
    expect(existsSync(path.join(dir, '.dockerignore'))).toBe(true);
    const after = snapshot(dir);
    const again = await runCliAsync(['migrate', '--no-build'], { cwd: dir });
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('already migrated: every file has the new set-up; nothing was changed');
    expect(snapshot(dir)).toEqual(after);
    const back = await runCliAsync(['migrate', '--rollback'], { cwd: dir });
    expect(back.code, back.all).toBe(0);
    expect(snapshot(dir)).toEqual(before);
  });

  it('keep-both: the new files beside the old ones, which stay byte for byte', async () => {
    const dir = oldRepo();
    const r = await runCliAsync(['migrate', '--no-build', '--strategy', 'keep-both'], { cwd: dir });
    expect(r.code, r.all).toBe(0);
    expect(readFileSync(path.join(dir, 'Dockerfile'), 'utf8')).toBe(OLD_FILES.Dockerfile);
    expect(readFileSync(path.join(dir, 'docker-compose.yml'), 'utf8')).toBe(OLD_FILES['docker-compose.yml']);
    for (const f of ['Dockerfile.optimized', 'docker-compose.full.yml', 'docker-compose.dev.yml', '.dockerignore'])
      expect(existsSync(path.join(dir, f)), f).toBe(true);
  });

  it('stops on files edited by hand since the last migrate, shows the diff, and --force replaces them', async () => {
    const dir = oldRepo();
    expect((await runCliAsync(['migrate', '--no-build'], { cwd: dir })).code).toBe(0);
    writeFileSync(path.join(dir, 'Dockerfile'), `${readFileSync(path.join(dir, 'Dockerfile'), 'utf8')}RUN echo my-local-change\n`);
    const edited = snapshot(dir);
    const r = await runCliAsync(['migrate', '--no-build'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('Dockerfile changed by hand since the last migrate; nothing was changed');
    expect(r.stderr).toContain('+RUN echo my-local-change');
    expect(snapshot(dir)).toEqual(edited);
    expect((await runCliAsync(['migrate', '--no-build', '--force'], { cwd: dir })).code).toBe(0);
    expect(readFileSync(path.join(dir, 'Dockerfile'), 'utf8')).not.toContain('my-local-change');
  });

  it('fails and rolls back when the result does not validate (env-check), saying so', async () => {
    const dir = oldRepo({ APP_PORT: '99999' });
    const before = snapshot(dir);
    const r = await runCliAsync(['migrate', '--no-build'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/migrate failed and rolled back every file to how it was \(backup \S+\): the environment has 1 problem/);
    expect(snapshot(dir)).toEqual(before);
  });

  it('a lock held by a running migrate stops a second one; a lock left by a killed one does not', async () => {
    const dir = oldRepo();
    const sleeper = spawnSync('sh', ['-c', 'sleep 30 >/dev/null 2>&1 & echo $!'], { encoding: 'utf8' });
    const livePid = Number(sleeper.stdout.trim());
    try {
      spawnSync('mkdir', ['-p', path.join(dir, '.backups')]);
      writeFileSync(path.join(dir, '.backups', '.lock'), JSON.stringify({ pid: livePid, task: 'migrate', since: 'earlier' }));
      const r = await runCliAsync(['migrate', '--no-build'], { cwd: dir });
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(`another migrate (pid ${livePid}, since earlier) is working on this repo`);
    } finally {
      process.kill(livePid, 'SIGKILL');
    }
    writeFileSync(path.join(dir, '.backups', '.lock'), JSON.stringify({ pid: 2 ** 22 + 17, task: 'migrate', since: 'a crash' }));
    expect((await runCliAsync(['migrate', '--no-build'], { cwd: dir })).code).toBe(0);
  });

  it('survives SIGKILL at every checkpoint: the repo is as before, fully migrated, or --rollback restores the old bytes', async () => {
    const reference = oldRepo();
    const before = snapshot(reference);
    const traced = await runCliAsync(['migrate'], { cwd: reference, env: { ...NO_DOCKER, TASK_TEST_TRACE_CHECKPOINTS: '1' } });
    expect(traced.code, traced.all).toBe(0);
    const points = traced.stderr.split('\n').filter((l) => l.startsWith('checkpoint '));
    expect(points.length).toBeGreaterThanOrEqual(20);
    const migrated = snapshot(reference);
    // Crashes at neighbouring checkpoints often leave the same folder: "renamed it over X" and "migrate wrote X" differ
    // only in what the CLI was about to do. What happens next (--rollback, the next migrate) is decided by the folder
    // alone, so it runs once per distinct folder, .backups/ included, and every crash that left that folder gets its
    // result asserted. Distinct folders are told apart by every byte but what differs between two identical runs.
    const followUps = new Map<string, Promise<{ rolledBack: boolean }>>();
    const nextRuns = new Map<string, Promise<void>>();
    const crashAt = async (n: number): Promise<'untouched' | 'migrated' | 'rolled back'> => {
      const dir = oldRepo();
      const crashed = await runCliAsync(['migrate'], { cwd: dir, env: { ...NO_DOCKER, TASK_TEST_CRASH_AFTER: String(n) } });
      expect(crashed.signal, `crash at ${points[n - 1]}: ${crashed.all}`).toBe('SIGKILL');
      const now = snapshot(dir);
      let outcome: 'untouched' | 'migrated' | 'partial';
      if (JSON.stringify(now) === JSON.stringify(before)) outcome = 'untouched';
      else if (JSON.stringify(now) === JSON.stringify(migrated)) outcome = 'migrated';
      else outcome = 'partial';
      const left = folderState(dir);
      let followUp = followUps.get(left);
      if (!followUp) {
        followUp = (async () => {
          if (outcome === 'partial') {
            const back = await runCliAsync(['migrate', '--rollback'], { cwd: dir, env: NO_DOCKER });
            expect(back.code, `rollback after a crash at ${points[n - 1]}: ${back.all}`).toBe(0);
            expect(snapshot(dir), `after a crash at ${points[n - 1]} and --rollback`).toEqual(before);
          }
          // The next migrate: a stale lock never blocks it; a journal left "in progress" makes it refuse with the fix.
          const state = folderState(dir);
          let next = nextRuns.get(state);
          if (!next) {
            next = (async () => {
              const journal = path.join(dir, '.backups', 'migrate.json');
              const halfDone = existsSync(journal) && JSON.parse(readFileSync(journal, 'utf8')).status === 'in-progress';
              const r = await runCliAsync(['migrate'], { cwd: dir, env: NO_DOCKER });
              expect(r.code, `after a crash at ${points[n - 1]}: ${r.all}`).toBe(halfDone ? 1 : 0);
              if (halfDone) expect(r.stderr).toContain('was interrupted half-way. Run `task migrate --rollback`');
            })();
            nextRuns.set(state, next);
          }
          await next;
          return { rolledBack: outcome === 'partial' };
        })();
        followUps.set(left, followUp);
      }
      const { rolledBack } = await followUp;
      // The same folder means the same classification: a crash that left it was rolled back exactly when the first was.
      expect(rolledBack, `crash at ${points[n - 1]}`).toBe(outcome === 'partial');
      return outcome === 'partial' ? 'rolled back' : outcome;
    };
    const outcomes = await inBatches(
      3,
      points.map((_, i) => () => crashAt(i + 1)),
    );
    // Every checkpoint was crashed at, and each outcome happens: a crash before the first file, after the last, and in between.
    expect(outcomes).toHaveLength(points.length);
    expect(outcomes).toContain('untouched');
    expect(outcomes).toContain('migrated');
    expect(outcomes).toContain('rolled back');
    // Some crashes left the same folder as another (35 checkpoints, 24 folders when written): if none did, a time or
    // an id escaped the masking and every follow-up ran again, which is slow but not wrong.
    expect(followUps.size).toBeLessThan(points.length);
    // About 35 checkpoints: a crash each, and a rollback and a next migrate per distinct folder, three at a time.
  }, 300_000);

  it('a repo with constructs migrate cannot carry stops with the "needs you" list (file:line), and nothing changes', async () => {
    const { dir } = teamRepo('needs-you');
    const before = snapshot(dir);
    const r = await runCliAsync(['migrate', '--no-build'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('migrate cannot carry 3 parts of the old set-up, so nothing was changed');
    expect(r.stderr).toMatch(
      /needs you:\n +Dockerfile:6: ENTRYPOINT \["\.\/docker-entrypoint\.sh"\]: the ENTRYPOINT script docker-entrypoint\.sh does more than exec its arguments; docker-entrypoint\.sh:4: python manage\.py migrate --noinput\n/,
    );
    expect(r.stderr).toMatch(/ +Dockerfile:7: CMD .*runs several commands \(or in the background\)/);
    expect(r.stderr).toMatch(/ +docker-compose\.yml:6: admin: build: "\.\/admin": admin builds its own image/);
    expect(snapshot(dir)).toEqual(before);
    expect(existsSync(path.join(dir, '.backups'))).toBe(false);
    const forced = await runCliAsync(['migrate', '--no-build', '--force'], { cwd: dir });
    expect(forced.code, forced.all).toBe(0);
    expect(forced.stdout).toContain('not built (--no-build): checked statically only');
  });

  it("another team's service: its own schema (never the assistant's key), its secrets moved to .env (0600)", async () => {
    const { dir } = teamRepo('env-secrets');
    const r = await runCliAsync(['migrate', '--no-build'], { cwd: dir });
    expect(r.code, r.all).toBe(0);
    expect(r.all).not.toContain('ADMIN_REINGEST_KEY');
    expect(r.all).not.toContain('tok_3f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c');
    expect(statSync(path.join(dir, '.env')).mode & 0o777).toBe(0o600);
    const check = await runCliAsync(['env-check'], { cwd: dir });
    expect(check.code, check.all).toBe(0);
    writeFileSync(path.join(dir, '.env'), 'GREETING=hello\n');
    const missing = await runCliAsync(['env-check'], { cwd: dir });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/API_TOKEN/);
    expect(missing.stderr).not.toMatch(/ADMIN_REINGEST_KEY/);
  });
});
