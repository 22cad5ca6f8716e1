import { describe, expect, it } from 'vitest';
import { composeArgv } from './compose.ts';

const project = {
  files: ['docker-compose.full.yml', 'docker-compose.dev.yml'],
  projectName: 'demo',
  projectDirectory: '/srv/demo',
  envFiles: ['a.env', 'b.env'],
};

describe('composeArgv plans both compose flavours', () => {
  it('v2: the docker plugin, every env file', () => {
    expect(composeArgv({ kind: 'v2', argv: ['/usr/bin/docker', 'compose'] }, project, ['up', '-d'])).toEqual([
      '/usr/bin/docker',
      'compose',
      '-f',
      'docker-compose.full.yml',
      '-f',
      'docker-compose.dev.yml',
      '-p',
      'demo',
      '--project-directory',
      '/srv/demo',
      '--env-file',
      'a.env',
      '--env-file',
      'b.env',
      '--ansi',
      'never',
      'up',
      '-d',
    ]);
  });

  it('v1: docker-compose, one env file (the last, which wins anyway), compatibility mode for deploy limits', () => {
    expect(composeArgv({ kind: 'v1', argv: ['docker-compose'] }, project, ['down'])).toEqual([
      'docker-compose',
      '-f',
      'docker-compose.full.yml',
      '-f',
      'docker-compose.dev.yml',
      '-p',
      'demo',
      '--project-directory',
      '/srv/demo',
      '--env-file',
      'b.env',
      '--ansi',
      'never',
      '--compatibility',
      'down',
    ]);
  });
});
