/** .dockerignore rules and Docker's matching (filepath.Match plus `**`, last matching rule wins, `!` re-includes). */
export interface IgnoreFile {
  file: string;
  rules: { pattern: string; negate: boolean; line: number }[];
}

export function parseDockerignore(file: string, text: string): IgnoreFile {
  const rules: IgnoreFile['rules'] = [];
  text.split('\n').forEach((raw, i) => {
    const t = raw.trim();
    if (!t || t.startsWith('#')) return;
    const negate = t.startsWith('!');
    const pattern = (negate ? t.slice(1) : t).replace(/^\/+/, '').replace(/\/+$/, '');
    rules.push({ pattern, negate, line: i + 1 });
  });
  return { file, rules };
}

function toRegex(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] as string;
    if (c === '*' && pattern[i + 1] === '*') {
      re += '.*';
      i++;
      if (pattern[i + 1] === '/') i++;
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}(/.*)?$`);
}

/** Whether a context-relative path is excluded from the build context. */
export function isIgnored(ignore: IgnoreFile | undefined, path: string): boolean {
  if (!ignore) return false;
  let ignored = false;
  for (const r of ignore.rules) if (toRegex(r.pattern).test(path)) ignored = !r.negate;
  return ignored;
}
