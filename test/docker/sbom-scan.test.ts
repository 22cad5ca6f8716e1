/**
 * docker-sbom on real images (issue 17, item 4): the CycloneDX document passes the 1.6 schema in strict mode and
 * lists exactly what is in the image, compared with what the image itself reports (dpkg-query in production, the
 * Python distributions importlib.metadata finds). docker-scan: no scanner is installed on this machine, so the
 * honest outcome is exit 2 with how to get one; a stand-in scanner proves that its verdict (exit 1) is passed on.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, lstatSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Spec, Validation } from '@cyclonedx/cyclonedx-library';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTarget } from '../helpers/build.ts';
import { runCli } from '../helpers/cli.ts';
import { docker, requireEngineAndImages } from '../helpers/docker.ts';
import { type ExampleProject, exampleProject, removeProject } from '../helpers/project.ts';

interface Bom {
  specVersion: string;
  metadata: { component: { name: string; version: string; properties?: { name: string; value: string }[] } };
  components: { name: string; version: string; purl: string }[];
}

const validator = new Validation.JsonStrictValidator(Spec.Version.v1dot6);
const names = (bom: Bom, type: 'deb' | 'pypi') =>
  bom.components
    .filter((c) => c.purl.startsWith(`pkg:${type}/`))
    .map((c) => c.name)
    .sort();

/** The Python distributions the image's interpreter sees (venv and system), by name. */
function pythonDists(tag: string): string[] {
  const code = "import importlib.metadata as m; print('\\n'.join(sorted({d.metadata['Name'] for d in m.distributions()})))";
  return docker('run', '--rm', '--entrypoint', 'python3', tag, '-c', code).split('\n').filter(Boolean);
}

describe('docker-sbom and docker-scan on built images', () => {
  let p: ExampleProject;
  let minimal: string;

  beforeAll(() => {
    requireEngineAndImages();
    p = exampleProject();
    // Distributions in the venv: setuptools, which the uv stand-in installs from the interpreter's bundled wheel.
    writeFileSync(
      path.join(p.dir, 'pyproject.toml'),
      readFileSync(path.join(p.dir, 'pyproject.toml'), 'utf8').replace('dependencies = []', 'dependencies = ["setuptools"]'),
    );
    buildTarget(p, 'production', p.tag);
    minimal = p.tag.replace(':latest', ':minimal');
    buildTarget(p, 'runtime-minimal', minimal);
  }, 600_000);
  afterAll(() => removeProject(p));

  it('writes a schema-valid CycloneDX 1.6 document of the production image with every package dpkg and Python know of', async () => {
    const r = runCli(['docker-sbom', p.tag], { cwd: p.dir });
    expect(r.code, r.all).toBe(0);
    const file = path.join(p.dir, `${p.tag.replace(':', '_')}.cdx.json`);
    expect(r.stdout).toContain(`wrote ${file}: `);
    const text = readFileSync(file, 'utf8');
    expect(await validator.validate(text)).toBeNull();
    const bom = JSON.parse(text) as Bom;
    expect(bom.metadata.component).toMatchObject({ name: p.tag.split(':')[0], version: 'latest' });
    expect(bom.metadata.component.properties).toContainEqual({ name: 'oci:image:id', value: docker('image', 'inspect', '--format', '{{.Id}}', p.tag).trim() });
    const installed = docker('run', '--rm', '--entrypoint', 'dpkg-query', p.tag, '-W', '-f', '${db:Status-Status} ${Package}\\n')
      .split('\n')
      .filter((l) => l.startsWith('installed '))
      .map((l) => l.slice('installed '.length))
      .sort();
    expect(installed.length).toBeGreaterThan(50);
    expect(names(bom, 'deb')).toEqual([...new Set(installed.map((n) => n.replace(/:\w+$/, '')))].sort());
    expect(names(bom, 'pypi')).toEqual(pythonDists(p.tag).sort());
    expect(names(bom, 'pypi')).toContain('setuptools');
  });

  it('the runtime-minimal image (no shell, no dpkg): the packages its files come from and the venv, on stdout with --out -', async () => {
    const r = runCli(['docker-sbom', minimal, '--out', '-'], { cwd: p.dir });
    expect(r.code, r.all).toBe(0);
    expect(await validator.validate(r.stdout)).toBeNull();
    const bom = JSON.parse(r.stdout) as Bom;
    expect(names(bom, 'deb')).toEqual(expect.arrayContaining(['libc6', 'libssl3', 'zlib1g']));
    expect(names(bom, 'deb')).not.toContain('dash');
    expect(names(bom, 'pypi')).toEqual(pythonDists(minimal).sort());
    // Progress went to stderr: stdout is the document alone.
    expect(r.stderr).toContain('components:');
  });

  it('names a missing image and how to build it; leaves no container behind', () => {
    // Containers of that image only: another engine run may be starting its own stacks meanwhile.
    const ofImage = () =>
      docker('ps', '-a', '--format', '{{.Image}}')
        .split('\n')
        .filter((image) => image === 'no-such-image-e2e:1');
    const r = runCli(['docker-sbom', 'no-such-image-e2e:1'], { cwd: p.dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('there is no image no-such-image-e2e:1 on this machine: build it first (task docker-build --tag no-such-image-e2e:1)');
    expect(ofImage()).toEqual([]);
  });

  it('refuses an --out that is a device file or a symlink, and leaves it as it was (never a temp file renamed over it)', () => {
    const dev = path.join(p.dir, 'mynull');
    execFileSync('mknod', [dev, 'c', '1', '3']);
    symlinkSync(path.join(p.dir, 'pyproject.toml'), path.join(p.dir, 'link.json'));
    for (const [out, kind] of [
      [dev, 'a device file'],
      [path.join(p.dir, 'link.json'), 'a symbolic link'],
    ] as const) {
      const r = runCli(['docker-sbom', p.tag, '--out', path.basename(out)], { cwd: p.dir });
      expect(r.code, r.all).toBe(2);
      expect(r.stderr).toContain(`--out ${out} is ${kind}, and writing there would replace it. Fix: pass the path of a regular file`);
    }
    expect(lstatSync(dev).isCharacterDevice()).toBe(true);
    expect(lstatSync(path.join(p.dir, 'link.json')).isSymbolicLink()).toBe(true);
  });

  it('an image name starting with "-" is refused before docker sees it (it would be read as an option)', () => {
    for (const args of [
      ['docker-sbom', '--', '--help'],
      ['docker-scan', '--', '-x'],
    ]) {
      const r = runCli(args, { cwd: p.dir });
      expect(r.code, r.all).toBe(2);
      expect(r.stderr).toContain('that does not start with "-" (docker would read it as an option)');
      expect(r.all).not.toContain('docker image inspect');
    }
  });

  it('docker-scan with no scanner installed scans nothing, says how to get one, and exits 2', () => {
    const r = runCli(['docker-scan', p.tag], { cwd: p.dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      `no vulnerability scanner is installed (looked for trivy and grype on PATH and the docker scout plugin), so ${p.tag} was not scanned`,
    );
    expect(r.stderr).toContain('trivy: https://trivy.dev');
  });

  it('docker-scan runs the scanner it finds on the image and passes on its verdict (a stand-in trivy that finds something)', () => {
    const bin = path.join(p.dir, '..', 'scanner-bin');
    mkdirSync(bin, { recursive: true });
    writeFileSync(path.join(bin, 'trivy'), `#!/bin/sh\necho "$@" > ${bin}/args\necho "CRITICAL: CVE-0000-0000 in zlib1g"\nexit 1\n`);
    chmodSync(path.join(bin, 'trivy'), 0o755);
    const r = runCli(['docker-scan', p.tag], { cwd: p.dir, env: { PATH: `${bin}:${process.env.PATH}` } });
    expect(r.code).toBe(1);
    expect(readFileSync(path.join(bin, 'args'), 'utf8').trim()).toBe(`image --scanners vuln --severity CRITICAL --exit-code 1 ${p.tag}`);
    expect(r.stderr).toContain(`trivy found vulnerabilities of severity critical or worse in ${p.tag}`);
  });
});
