import { readFileSync } from 'node:fs';
import path from 'node:path';
import { validateWorkflow } from '@action-validator/core';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ROOT, runCli } from './helpers/cli.ts';

const FILE = path.join(ROOT, 'docs', 'ci', 'github-actions.yml');
const text = readFileSync(FILE, 'utf8');

describe('the GitHub Actions workflow a team repo copies', () => {
  it("passes GitHub's workflow schema (and the check can fail)", () => {
    expect(validateWorkflow(text).errors).toEqual([]);
    expect(validateWorkflow(text.replace('runs-on: ubuntu-latest', 'runs_on: ubuntu-latest')).errors.length).toBeGreaterThan(0);
  });

  it('runs only our tasks, each with flags the CLI accepts', () => {
    const steps = (parse(text) as { jobs: Record<string, { steps: { run?: string }[] }> }).jobs.docker?.steps ?? [];
    const runs = steps.flatMap((s) => (s.run ? [s.run.trim()] : []));
    expect(runs.length).toBeGreaterThanOrEqual(5);
    for (const run of runs.filter((r) => r !== 'pnpm install --frozen-lockfile')) {
      expect(run).toMatch(/^pnpm task [a-z-]+/);
      const args = run
        .replace(/\s*>\s*\S+$/, '')
        .replace(/\$\{\{[^}]*\}\}/g, 'example')
        .split(/\s+/)
        .slice(2);
      const r = runCli([...args, '--dry-run']);
      expect(r.code, `${run}\n${r.stderr}`).toBe(0);
    }
  });

  it('builds on the registry images with the shared cache, and pushes from main only', () => {
    const steps = (parse(text) as { jobs: Record<string, { steps: { run?: string; if?: string; uses?: string }[] }> }).jobs.docker?.steps ?? [];
    const build = steps.find((s) => s.run?.startsWith('pnpm task docker-build'));
    expect(build?.run).toMatch(/--images registry .*--shared-cache ghcr\.io\//);
    const login = steps.findIndex((s) => s.uses?.startsWith('docker/login-action'));
    expect(login).toBeGreaterThan(-1);
    expect(login).toBeLessThan(steps.indexOf(build as (typeof steps)[number]));
    const push = steps.find((s) => s.run?.startsWith('pnpm task docker-push'));
    expect(push?.if).toBe("github.ref == 'refs/heads/main'");
    const dryRun = runCli(['docker-build', '--images', 'registry', '--shared-cache', 'ghcr.io/example:buildcache', '--dry-run']);
    expect(dryRun.stdout).toMatch(/--cache-from ghcr\.io\/example:buildcache/);
  });
});
