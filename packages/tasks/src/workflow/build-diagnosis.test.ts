import { describe, expect, it } from 'vitest';
import { diagnoseBuild } from './build-diagnosis.ts';

const diagnose = diagnoseBuild('/srv/app');

describe('diagnoseBuild', () => {
  it.each([
    [
      'ERROR: failed to solve: failed to compute cache key: failed to walk /var/lib/docker/tmp/buildkit-mount123: permission denied',
      /leaves out \.venv\/ and __pycache__/,
    ],
    ['ERROR: failed to solve: failed to compute cache key: "/pyproject.toml": not found', /not in the build context \/srv\/app/],
    [
      'failed to solve with frontend dockerfile.v0: failed to create LLB definition: failed to do request: dial tcp: lookup ghcr.io: no such host',
      /docker-offline-images/,
    ],
    ['write /var/lib/docker/x: no space left on device', /disk is full/],
  ])('%s', (line, expected) => {
    expect(diagnose(['#9 ...', line])).toMatch(expected);
  });

  it('says nothing when it does not recognise the failure', () => {
    expect(diagnose(['ERROR: something else entirely'])).toBeUndefined();
  });
});
