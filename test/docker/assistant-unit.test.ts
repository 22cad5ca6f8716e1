/**
 * The example service's own unit tests (docker/assistant/tests, standard-library unittest), run by the interpreter
 * its images ship (the offline Python base) as the image's uid 1001, so the unreadable-secret-file case runs too.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { OFFLINE_IMAGES } from '@promtior/docker-assets';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/cli.ts';
import { DOCKER, requireEngineAndImages } from '../helpers/docker.ts';

describe('docker/assistant unit tests (settings and *_FILE secrets, metrics format, Ollama watcher)', () => {
  beforeAll(() => requireEngineAndImages());

  it('pass in the image interpreter as uid 1001, none skipped', () => {
    const r = spawnSync(
      DOCKER,
      [
        'run',
        '--rm',
        '--user',
        '1001:1001',
        '--network',
        'none',
        '--read-only',
        '--tmpfs',
        '/tmp',
        '-e',
        'PYTHONDONTWRITEBYTECODE=1',
        '-e',
        'PYTHONPATH=/w/src',
        '-v',
        `${path.join(ROOT, 'docker', 'assistant')}:/w:ro`,
        '-w',
        '/w',
        OFFLINE_IMAGES.PYTHON_IMAGE,
        'python3',
        '-m',
        'unittest',
        'discover',
        '-s',
        'tests',
        '-v',
      ],
      { encoding: 'utf8', timeout: 120_000 },
    );
    expect(r.status, r.stderr).toBe(0);
    const ran = Number(r.stderr.match(/^Ran (\d+) tests? in/m)?.[1]);
    expect(ran).toBeGreaterThanOrEqual(20);
    expect(r.stderr).toMatch(/^OK$/m);
    expect(r.stderr).not.toMatch(/skipped/);
    expect(r.stderr).toContain('test_unreadable_file_names_the_variable_and_the_path');
  });
});
