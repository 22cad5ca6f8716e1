import { describe, expect, it } from 'vitest';
import { peerProblem } from './presets.ts';

const preset = (peerRange: string | undefined) => ({ name: '@team/tasks', version: '3.1.0', peerRange });

describe('peerProblem: may this library run the preset?', () => {
  it('a version inside the peer range is fine, 0.x minors and prereleases included', () => {
    expect(peerProblem(preset('^1.2.0'), '1.4.0')).toBeUndefined();
    expect(peerProblem(preset('>=0.1.0 <1'), '0.2.0')).toBeUndefined();
    expect(peerProblem(preset('^2.0.0'), '2.1.0-next.1')).toBeUndefined();
  });

  it('another major version names both versions and the range', () => {
    const p = peerProblem(preset('^1.0.0'), '2.0.0');
    expect(p).toContain('@team/tasks@3.1.0, which is built for @promtior/tasks ^1.0.0 (its peerDependencies), but this repo has @promtior/tasks 2.0.0');
    expect(p).toContain('pnpm add -D @promtior/tasks@^1.0.0');
    // Caret ranges on 0.x: a minor version is a major one.
    expect(peerProblem(preset('^0.1.0'), '0.2.0')).toContain('built for @promtior/tasks ^0.1.0');
  });

  it('no peer range, or one that is not a range, is an error that says what to add', () => {
    expect(peerProblem(preset(undefined), '1.0.0')).toContain('add "peerDependencies": { "@promtior/tasks": "^1.0.0" }');
    expect(peerProblem(preset('latest please'), '1.0.0')).toContain('not a version range');
  });
});
