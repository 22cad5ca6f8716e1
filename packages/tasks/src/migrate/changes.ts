/**
 * What migrating a repo changes, computed from its files and the assets package without touching anything:
 * the seed's option A (`replace`) or option B (`keep-both`, the new files beside the old ones).
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { assetPath } from '@promtior/docker-assets';
import { renderEnvExample, workflowSpec } from '@promtior/env';
import { rewriteMakefile } from './makefile.ts';

export const STRATEGIES = ['replace', 'keep-both'] as const;
export type Strategy = (typeof STRATEGIES)[number];

export interface Change {
  /** Relative to the project folder. */
  path: string;
  kind: 'add' | 'replace';
  /** The bytes it will have. */
  content: string;
  /** The bytes it has now (replace), for the diff and the local-edit check. */
  before?: string;
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function asset(name: Parameters<typeof assetPath>[0]): string {
  return readFileSync(assetPath(name), 'utf8');
}

export function planChanges(dir: string, strategy: Strategy): Change[] {
  const read = (rel: string) => (existsSync(path.join(dir, rel)) ? readFileSync(path.join(dir, rel), 'utf8') : undefined);
  const wanted: { path: string; content: string }[] =
    strategy === 'replace'
      ? [
          { path: 'Dockerfile', content: asset('Dockerfile') },
          { path: 'docker-compose.yml', content: asset('docker-compose.full.yml') },
          { path: 'docker-compose.dev.yml', content: asset('docker-compose.dev.yml') },
          { path: '.dockerignore', content: asset('.dockerignore') },
        ]
      : [
          { path: 'Dockerfile.optimized', content: asset('Dockerfile') },
          { path: 'docker-compose.full.yml', content: asset('docker-compose.full.yml') },
          { path: 'docker-compose.dev.yml', content: asset('docker-compose.dev.yml') },
          // An existing .dockerignore stays; the new rules apply to Dockerfile.optimized through its own ignore file.
          { path: read('.dockerignore') === undefined ? '.dockerignore' : 'Dockerfile.optimized.dockerignore', content: asset('.dockerignore') },
        ];
  if (read('.env.example') === undefined) wanted.push({ path: '.env.example', content: renderEnvExample(workflowSpec) });
  const makefile = read('Makefile');
  if (makefile !== undefined) wanted.push({ path: 'Makefile', content: rewriteMakefile(makefile).text });
  return wanted
    .map((w) => {
      const before = read(w.path);
      return before === undefined
        ? { path: w.path, kind: 'add' as const, content: w.content }
        : { path: w.path, kind: 'replace' as const, content: w.content, before };
    })
    .filter((c) => c.before !== c.content);
}
