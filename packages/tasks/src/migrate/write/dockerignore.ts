/** The template's .dockerignore, plus the old file's rules that it lacks (a negation that would let a secret in is not kept). */

export function mergeDockerignore(template: string, old: string | undefined): { text: string; dropped: { line: number; text: string }[] } {
  if (old === undefined) return { text: template, dropped: [] };
  const have = new Set(template.split('\n').map((l) => l.trim()));
  const kept: string[] = [];
  const dropped: { line: number; text: string }[] = [];
  old.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || have.has(line)) return;
    if (line.startsWith('!') && /\.env|secret|\.pem|\.key|credentials|\.git/i.test(line)) dropped.push({ line: i + 1, text: line });
    else kept.push(line);
  });
  if (kept.length === 0) return { text: template, dropped };
  const base = template.endsWith('\n') ? template : `${template}\n`;
  return { text: `${base}\n# Kept from the repo's old .dockerignore by task migrate:\n${kept.join('\n')}\n`, dropped };
}
