import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Spec, Validation } from '@cyclonedx/cyclonedx-library';
import fc from 'fast-check';
import { PackageURL } from 'packageurl-js';
import { beforeAll, describe, expect, it } from 'vitest';
import { type Bom, type SbomInput, toCycloneDx } from './cyclonedx.ts';
import { parseDistMetadata } from './dist-info.ts';
import { parseDpkgStatus, parseOsRelease } from './dpkg-status.ts';
import type { LicenseChoice } from './licenses.ts';

const fixture = (name: string) => readFileSync(path.join(import.meta.dirname, 'fixtures', name), 'utf8');

// CycloneDX's own validator: the 1.6 JSON schema (with its SPDX and JSF schemas) in strict mode, which also
// rejects properties the schema does not define.
const validator = new Validation.JsonStrictValidator(Spec.Version.v1dot6);
const validate = async (bom: Bom) => validator.validate(JSON.stringify(bom));

function productionInput(overrides: Partial<SbomInput> = {}): SbomInput {
  return {
    image: { ref: 'promtior-assistant:latest', id: 'sha256:67948e451b3b70769cb080df3f6334736b140ff9c3c2d1ebfa2b9c43dd96389d' },
    os: parseOsRelease(fixture('os-release.txt')),
    debs: parseDpkgStatus(fixture('dpkg-status.production.txt')),
    pythons: ['pip-23.0.1.METADATA', 'setuptools-66.1.1.METADATA'].map((f) => parseDistMetadata(fixture(f), f)),
    tool: { name: '@promtior/tasks', version: '0.1.0' },
    timestamp: '2026-11-27T14:54:00.000Z',
    serialNumber: 'urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79',
    ...overrides,
  };
}

describe('toCycloneDx on real image contents', () => {
  // The first validation compiles the 1.6 schema with its SPDX and JSF schemas: seconds on a busy two-core machine.
  beforeAll(() => validator.validate('{}'), 60_000);

  it('is a valid CycloneDX 1.6 document (strict schema)', async () => {
    const bom = toCycloneDx(productionInput());
    expect(await validate(bom)).toBeNull();
    expect(bom.components).toHaveLength(13);
    expect(bom.metadata.component).toMatchObject({ type: 'container', name: 'promtior-assistant', version: 'latest' });
  });

  it('names every component by a purl that parses back to it: pkg:deb/debian/...?arch&distro, pkg:pypi/...', () => {
    const bom = toCycloneDx(productionInput());
    for (const c of bom.components) {
      const purl = PackageURL.fromString(c.purl ?? '');
      expect({ name: purl.name, version: purl.version }).toEqual({ name: c.name, version: c.version });
      expect(c['bom-ref']).toBe(c.purl);
    }
    const zlib = bom.components.find((c) => c.name === 'zlib1g');
    expect(zlib?.purl).toBe('pkg:deb/debian/zlib1g@1:1.2.13.dfsg-1?arch=amd64&distro=debian-12');
    expect(zlib?.properties).toEqual([{ name: 'debian:source', value: 'zlib@1:1.2.13.dfsg-1' }]);
    expect(bom.components.find((c) => c.name === 'tzdata')?.purl).toMatch(/^pkg:deb\/debian\/tzdata@2026b-0\+deb12u1\?arch=all&distro=debian-12$/);
    expect(bom.components.find((c) => c.name === 'pip')).toMatchObject({ purl: 'pkg:pypi/pip@23.0.1', licenses: [{ license: { id: 'MIT' } }] });
    // Debian's status file carries no licenses: none are made up.
    expect(bom.components.filter((c) => c.purl?.startsWith('pkg:deb/') && c.licenses)).toEqual([]);
  });

  it('the runtime-minimal image: every Debian package it ships, valid too', async () => {
    const bom = toCycloneDx(productionInput({ debs: parseDpkgStatus(fixture('dpkg-status.runtime-minimal.txt')), pythons: [] }));
    expect(await validate(bom)).toBeNull();
    expect(bom.components.map((c) => c.name)).toEqual(expect.arrayContaining(['libc6', 'libssl3', 'python3.11-minimal']));
  });

  it('the same image gives the same document; one component per purl', () => {
    const input = productionInput();
    const twice = productionInput({ pythons: [...input.pythons, ...input.pythons] });
    expect(JSON.stringify(toCycloneDx(input))).toBe(JSON.stringify(toCycloneDx(twice)));
  });

  it('the validator is live: a license id outside SPDX, or a missing field, fails', async () => {
    const bom = toCycloneDx(productionInput());
    const pip = bom.components.find((c) => c.name === 'pip');
    if (pip) pip.licenses = [{ license: { id: 'Not-An-SPDX-Id' } }];
    expect(await validate(bom)).not.toBeNull();
    const { serialNumber: _, ...noSerial } = toCycloneDx(productionInput());
    expect(await validator.validate(JSON.stringify({ ...noSerial, serialNumber: 'not-a-urn' }))).not.toBeNull();
  });
});

describe('toCycloneDx, properties', () => {
  const name = fc.stringMatching(/^[a-z0-9][a-z0-9+.-]{0,15}$/);
  const deb = fc.record({
    name,
    version: fc.stringMatching(/^([0-9]:)?[0-9][A-Za-z0-9.+~-]{0,12}$/),
    architecture: fc.constantFrom('amd64', 'arm64', 'all'),
    homepage: fc.constantFrom(undefined, 'https://example.org/x', 'not a url', 'ftp://example.org/'),
  });
  const py = fc.record({
    name: fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._-]{0,15}$/),
    version: fc.stringMatching(/^[0-9][0-9a-z.+!-]{0,10}$/),
    licenses: fc.constantFrom<LicenseChoice[]>([], [{ license: { id: 'MIT' } }], [{ license: { name: 'Custom' } }], [{ expression: 'MIT OR Apache-2.0' }]),
  });
  it('any packages give a schema-valid document whose purls parse', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(deb, { maxLength: 5 }), fc.array(py, { maxLength: 5 }), async (debs, pythons) => {
        const bom = toCycloneDx(productionInput({ debs, pythons }));
        expect(await validate(bom)).toBeNull();
        for (const c of bom.components) expect(PackageURL.fromString(c.purl ?? '').name).toBeTruthy();
      }),
      { numRuns: 40 },
    );
  });
});
