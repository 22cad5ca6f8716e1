import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ALONE, LANE_B } from './_engine-lanes.ts';

const root = path.resolve(import.meta.dirname, '..');
const files = readdirSync(path.join(root, 'test', 'docker'))
  .filter((f) => f.endsWith('.test.ts'))
  .map((f) => `test/docker/${f}`);
const source = (f: string) => readFileSync(path.join(root, f), 'utf8');
const laneA = files.filter((f) => !(LANE_B as readonly string[]).includes(f) && !(ALONE as readonly string[]).includes(f));

describe('the engine test lanes', () => {
  it('name only engine test files that exist, each in one lane', () => {
    for (const f of [...LANE_B, ...ALONE]) expect(files, f).toContain(f);
    expect(new Set([...LANE_B, ...ALONE]).size).toBe(LANE_B.length + ALONE.length);
    expect(laneA.length).toBeGreaterThan(0);
  });

  it('run every file that looks at the whole engine or starts a second dockerd alone', () => {
    // The whole engine's state compared before and after, or the whole build cache pruned: another file's stacks
    // and builds would change it. A second dockerd re-creates the host's DOCKER iptables chains while it starts.
    const alone = files.filter((f) => /engineState\(|'builder', 'prune'|'system', 'prune'|'image', 'prune'|startDaemon\(/.test(source(f)));
    expect(alone.length).toBeGreaterThan(0);
    expect([...ALONE].sort()).toEqual(expect.arrayContaining(alone.sort()));
  });

  it('keep every file that binds fixed host ports, or builds with --no-cache, in lane A; verify (it judges cache reuse) alone', () => {
    const own = files.filter((f) => /port: \d{4},|'--no-cache'/.test(source(f)) && !(ALONE as readonly string[]).includes(f));
    expect(own.length).toBeGreaterThan(1);
    for (const f of own) expect(laneA, f).toContain(f);
    expect(ALONE).toContain('test/docker/verify.test.ts');
  });
});
