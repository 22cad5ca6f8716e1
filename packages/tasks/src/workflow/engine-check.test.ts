import { describe, expect, it } from 'vitest';
import { fakeFacts } from '../facts/fake.ts';
import { requireEngine } from './engine-check.ts';

describe('requireEngine', () => {
  it('describes a plain check when the facts found a client with BuildKit and an answering daemon', () => {
    expect(requireEngine(fakeFacts().docker).describe).toEqual(['check that the Docker daemon answers and the docker client can run a BuildKit build']);
  });

  it('says in the plan (so in --dry-run) that the run would stop here, and why, when the facts already show it', () => {
    const down = fakeFacts({ docker: { daemon: { ok: false, host: 'unix:///nonexistent', error: 'connect ENOENT /nonexistent' } } }).docker;
    const step = requireEngine(down);
    expect(step.describe[1]).toBe(
      'NOT MET when planned: the Docker daemon at unix:///nonexistent did not answer (connect ENOENT /nonexistent); a run stops here, and the steps below assume an engine that could not be asked',
    );
    const noClient = fakeFacts({ docker: { chosen: undefined, clients: [] } }).docker;
    expect(requireEngine(noClient).describe[1]).toMatch(/^NOT MET when planned: no working docker client was found;/);
  });
});
