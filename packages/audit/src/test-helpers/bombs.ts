/** Hostile YAML for tests and the bench: what issue 9 reproduced (4 GB of memory, past 60 s) before the bounded reader. */

/** Nine anchors of nine aliases each: 9^9 strings once expanded, in about 500 bytes. */
export function aliasBomb(levels = 9): string {
  let s = 'x-a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n';
  for (let i = 1; i < levels; i++)
    s += `x-a${i}: &a${i} [${Array(9)
      .fill(`*a${i - 1}`)
      .join(',')}]\n`;
  return `${s}services:\n  app:\n    image: busybox:1.36\n    command: *a${levels - 1}\n`;
}

/** Merge keys instead of sequences: each level merges the previous mapping into two nested ones (about 1 KB). */
export function mergeBomb(levels = 30): string {
  let s = 'x-m0: &m0 {a: 1, b: 2, c: 3, d: 4}\n';
  for (let i = 1; i < levels; i++) s += `x-m${i}: &m${i}\n  l: {<<: *m${i - 1}}\n  r: {<<: *m${i - 1}}\n`;
  return `${s}services:\n  app:\n    image: busybox:1.36\n    labels: *m${levels - 1}\n`;
}
