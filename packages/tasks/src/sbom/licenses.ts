/**
 * Licenses as CycloneDX wants them: an SPDX expression alone, or a list of SPDX ids and free-text names. Python's
 * core metadata has three places for them: License-Expression (metadata 2.4, SPDX already), the free-text License
 * field, and "License ::" trove classifiers. Debian's status file has none (they are in /usr/share/doc, which slim
 * images drop), so Debian components carry no licenses rather than guessed ones.
 */
export type LicenseChoice = { expression: string } | { license: { id: string } | { name: string } };

/** Trove classifiers and common License field values that name exactly one SPDX license. */
const SPDX_BY_NAME: Record<string, string> = {
  'mit license': 'MIT',
  mit: 'MIT',
  'apache software license': 'Apache-2.0',
  'apache 2.0': 'Apache-2.0',
  'apache-2.0': 'Apache-2.0',
  'apache license 2.0': 'Apache-2.0',
  'apache license, version 2.0': 'Apache-2.0',
  'bsd-3-clause': 'BSD-3-Clause',
  'bsd-2-clause': 'BSD-2-Clause',
  'isc license (iscl)': 'ISC',
  isc: 'ISC',
  'python software foundation license': 'PSF-2.0',
  'psf-2.0': 'PSF-2.0',
  'mozilla public license 2.0 (mpl 2.0)': 'MPL-2.0',
  'mpl-2.0': 'MPL-2.0',
  'the unlicense (unlicense)': 'Unlicense',
  'zope public license': 'ZPL-2.1',
  'gnu lesser general public license v3 (lgplv3)': 'LGPL-3.0-only',
  'gnu general public license v3 (gplv3)': 'GPL-3.0-only',
  'gnu general public license v2 (gplv2)': 'GPL-2.0-only',
};

export function pythonLicenses(expression: string | undefined, license: string | undefined, classifiers: readonly string[]): LicenseChoice[] {
  if (expression?.trim()) return [{ expression: expression.trim() }];
  const out: LicenseChoice[] = [];
  const seen = new Set<string>();
  const add = (text: string) => {
    const id = SPDX_BY_NAME[text.toLowerCase()];
    const key = id ?? `name:${text}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.push({ license: id ? { id } : { name: text } });
  };
  // A License field is often the whole license text: only its first line says which one.
  const first = license?.split('\n')[0]?.trim();
  if (first && first !== 'UNKNOWN') add(first.length > 120 ? `${first.slice(0, 117)}...` : first);
  for (const c of classifiers) {
    const parts = c.split('::').map((s) => s.trim());
    if (parts[0] !== 'License') continue;
    const last = parts.at(-1);
    // "License :: OSI Approved" alone says nothing about which license.
    if (last && parts.length > 1 && !(parts.length === 2 && last === 'OSI Approved')) add(last);
  }
  return out;
}
