import { chmodSync, mkdirSync, mkdtempSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { findScanners, scanArgv } from './scanners.ts';

function dir(files: Record<string, number> = {}): string {
  const d = realpathSync(mkdtempSync(path.join(tmpdir(), 'scanners-')));
  for (const [f, mode] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(d, f)), { recursive: true });
    writeFileSync(path.join(d, f), '#!/bin/sh\n');
    chmodSync(path.join(d, f), mode);
  }
  return d;
}

describe('findScanners', () => {
  it('finds executables on PATH and the scout plugin in the user, DOCKER_CONFIG or system plugin folders', () => {
    const bin = dir({ trivy: 0o755, grype: 0o644 });
    const home = dir({ '.docker/cli-plugins/docker-scout': 0o755 });
    expect(findScanners({ PATH: `relative:${bin}`, HOME: home }, 'docker', [])).toEqual([
      { name: 'trivy', bin: `${bin}/trivy` },
      { name: 'scout', bin: 'docker' },
    ]);
    const config = dir({ 'cli-plugins/docker-scout': 0o755 });
    expect(findScanners({ DOCKER_CONFIG: config, HOME: dir() }, 'docker', []).map((s) => s.name)).toEqual(['scout']);
    const system = dir({ 'docker-scout': 0o755 });
    expect(findScanners({}, 'docker', [system]).map((s) => s.name)).toEqual(['scout']);
    expect(findScanners({ PATH: dir() }, 'docker', [dir()])).toEqual([]);
  });

  it("each scanner's command fails (exit 1) only at the chosen severity or worse", () => {
    expect(scanArgv({ name: 'trivy', bin: 't' }, 'img:1', 'medium')).toEqual([
      't',
      'image',
      '--scanners',
      'vuln',
      '--severity',
      'CRITICAL,HIGH,MEDIUM',
      '--exit-code',
      '1',
      'img:1',
    ]);
    expect(scanArgv({ name: 'grype', bin: 'g' }, 'img:1', 'low')).toEqual(['g', 'docker:img:1', '--fail-on', 'low']);
    expect(scanArgv({ name: 'scout', bin: 'docker' }, 'img:1', 'critical')).toEqual([
      'docker',
      'scout',
      'cves',
      '--only-severity',
      'critical',
      '--exit-code',
      'local://img:1',
    ]);
  });
});
