import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TaskError } from '../errors.ts';
import { parseDistMetadata } from './dist-info.ts';
import { pythonLicenses } from './licenses.ts';

const fixture = (name: string) => readFileSync(path.join(import.meta.dirname, 'fixtures', name), 'utf8');

describe('parseDistMetadata on real METADATA files', () => {
  it("reads pip's: name, version, summary, homepage, and one MIT for the License field and the classifier", () => {
    expect(parseDistMetadata(fixture('pip-23.0.1.METADATA'), 'pip-23.0.1.dist-info/METADATA')).toEqual({
      name: 'pip',
      version: '23.0.1',
      summary: 'The PyPA recommended tool for installing Python packages.',
      homepage: 'https://pip.pypa.io/',
      licenses: [{ license: { id: 'MIT' } }],
    });
  });

  it("reads setuptools': its license only from the classifier, the description body ignored", () => {
    const d = parseDistMetadata(fixture('setuptools-66.1.1.METADATA'), 'setuptools-66.1.1.dist-info/METADATA');
    expect(d).toEqual({
      name: 'setuptools',
      version: '66.1.1',
      summary: 'Easily download, build, install, upgrade, and uninstall Python packages',
      homepage: 'https://github.com/pypa/setuptools',
      licenses: [{ license: { id: 'MIT' } }],
    });
  });

  it('without a Home-page, takes the Homepage or Source project URL', () => {
    const text = 'Metadata-Version: 2.1\nName: x\nVersion: 1\nProject-URL: Docs, https://d.example\nProject-URL: Source, https://s.example/x\n';
    expect(parseDistMetadata(text, 'f').homepage).toBe('https://s.example/x');
  });

  it('a file that is not core metadata is an error naming the file (and the line) and the fix', () => {
    expect(() => parseDistMetadata('Metadata-Version: 2.1\nVersion: 1.0\n', 'x.dist-info/METADATA')).toThrow(/^x\.dist-info\/METADATA: no Name header.*Fix: /);
    expect(() => parseDistMetadata('Name: x\nnot a header\n', 'f')).toThrow(/^f:2: not a "Field: value" header line/);
    expect(() => parseDistMetadata('  folded\n', 'f')).toThrow(/^f:1: a continuation line before any field/);
  });
});

describe('pythonLicenses', () => {
  it('License-Expression (metadata 2.4) wins and stands alone', () => {
    expect(pythonLicenses('MIT OR Apache-2.0', 'MIT', ['License :: OSI Approved :: MIT License'])).toEqual([{ expression: 'MIT OR Apache-2.0' }]);
  });

  it('maps known names to SPDX ids, keeps others as names, and takes only the first line of a license text', () => {
    expect(pythonLicenses(undefined, 'BSD-3-Clause', ['License :: OSI Approved :: Apache Software License', 'License :: Other/Proprietary License'])).toEqual([
      { license: { id: 'BSD-3-Clause' } },
      { license: { id: 'Apache-2.0' } },
      { license: { name: 'Other/Proprietary License' } },
    ]);
    expect(pythonLicenses(undefined, 'Copyright (c) 2024 Someone\n\nPermission is hereby granted...', [])).toEqual([
      { license: { name: 'Copyright (c) 2024 Someone' } },
    ]);
  });

  it('says nothing rather than something vague: UNKNOWN, empty, and "OSI Approved" alone give no license', () => {
    expect(pythonLicenses(undefined, 'UNKNOWN', ['License :: OSI Approved', 'Topic :: Utilities'])).toEqual([]);
    expect(pythonLicenses('  ', '', [])).toEqual([]);
  });
});

describe('parseDistMetadata, properties', () => {
  const token = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._-]{0,15}$/);
  it('reads back name, version and summary as a build backend writes them, with folded headers around', () => {
    fc.assert(
      fc.property(token, token, fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9 ,.:-]{0,40}[A-Za-z0-9.]$/), (name, version, summary) => {
        const text = `Metadata-Version: 2.1\nName: ${name}\nVersion: ${version}\nSummary: ${summary}\nLicense: Some text\n        that folds\nClassifier: A :: B\n\n# ${name}\nName: not-a-header\n`;
        expect(parseDistMetadata(text, 'f')).toMatchObject({ name, version, summary, licenses: [{ license: { name: 'Some text' } }] });
      }),
    );
  });

  it('any text either parses or fails with a TaskError', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('N', 'Name: a', 'Version: 1', ':', ' ', '\n', '\r\n', 'x') }), (text) => {
        try {
          parseDistMetadata(text, 'f');
        } catch (error) {
          expect(error).toBeInstanceOf(TaskError);
        }
      }),
    );
  });
});
