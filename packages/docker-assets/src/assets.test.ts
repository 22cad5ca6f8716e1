import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { assetPath, DOCKERFILE_TARGETS } from './assets.ts';

const dockerfile = readFileSync(assetPath('Dockerfile'), 'utf8');
const stages = [...dockerfile.matchAll(/^FROM\s+\S+\s+AS\s+(\S+)$/gim)].map((m) => m[1]);

describe('the shipped Dockerfile', () => {
  it('has every stage DOCKERFILE_TARGETS names, and no runnable stage it leaves out', () => {
    expect(stages).toEqual(expect.arrayContaining([...DOCKERFILE_TARGETS]));
    expect(stages.filter((s) => !(DOCKERFILE_TARGETS as readonly string[]).includes(s ?? ''))).toEqual(['uv', 'minimal-rootfs']);
  });

  it('runtime-minimal starts from scratch and runs everything in exec form', () => {
    const stage = dockerfile.slice(dockerfile.indexOf('AS runtime-minimal'), dockerfile.indexOf('AS development'));
    expect(stage).not.toMatch(/^RUN /m);
    expect(stage).toMatch(/^HEALTHCHECK [^\n]*\\\n\s+CMD \["python3"/m);
    expect(stage).toMatch(/^CMD \["python3", "-c", "import os, runpy; /m);
    expect(stage).toMatch(/^USER \$\{APP_UID\}:\$\{APP_GID\}$/m);
    expect(dockerfile).toMatch(/^FROM scratch AS runtime-minimal$/m);
  });

  it('keeps the two .dockerignore copies identical', () => {
    expect(readFileSync(assetPath('Dockerfile.dockerignore'), 'utf8')).toBe(readFileSync(assetPath('.dockerignore'), 'utf8'));
  });
});
