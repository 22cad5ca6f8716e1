/** The teardown's ownership rule: it finds and removes what tests own, and nothing else on the engine. */
import { afterAll, describe, expect, it } from 'vitest';
import { docker, requireEngine } from '../helpers/docker.ts';
import { findLeftovers, removeLeftovers, TEST_LABEL } from '../helpers/leftovers.ts';

describe('test leftovers', () => {
  const stamp = `${process.pid}${Date.now()}`;
  const notOurs = `someone-elses-${stamp}`;
  afterAll(() => {
    docker('volume', 'rm', '-f', notOurs);
  });

  it('finds labelled and test-project resources, removes them, and leaves everything else alone', () => {
    requireEngine();
    docker('volume', 'create', '--label', `${TEST_LABEL}=1`, `labelled-${stamp}`);
    docker('network', 'create', '--label', `com.docker.compose.project=task-e2e-${stamp}`, `task-e2e-${stamp}_default`);
    docker('volume', 'create', '--label', 'com.docker.compose.project=my-real-project', notOurs);
    const found = findLeftovers().map((l) => `${l.kind} ${l.name}`);
    expect(found).toEqual(expect.arrayContaining([`volume labelled-${stamp}`, `network task-e2e-${stamp}_default`]));
    expect(found).not.toContain(`volume ${notOurs}`);
    removeLeftovers(findLeftovers().filter((l) => l.name.includes(stamp)));
    expect(findLeftovers().filter((l) => l.name.includes(stamp))).toEqual([]);
    expect(docker('volume', 'ls', '-q').split('\n')).toContain(notOurs);
  });
});
