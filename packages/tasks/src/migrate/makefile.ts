/**
 * Rewrites a Makefile's docker targets into one-line shims that call the tasks; every other line stays as it was.
 * A docker target the Makefile lacks is appended, so `make docker-dev` keeps working for people used to it.
 */
export const DOCKER_TARGETS = ['docker-build', 'docker-run', 'docker-dev', 'docker-clean'] as const;

export function shim(target: string): string {
  return `\tpnpm task ${target}`;
}

export function rewriteMakefile(text: string): { text: string; rewritten: string[]; added: string[] } {
  const lines = text.split('\n');
  const out: string[] = [];
  const rewritten: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    const m = /^(docker-(?:build|run|dev|clean))\s*:(?!=)(.*)$/.exec(line);
    if (!m) {
      out.push(line);
      continue;
    }
    const target = m[1] as string;
    out.push(line, shim(target));
    rewritten.push(target);
    // Skip the old recipe: the lines that start with a tab (and blank lines inside it).
    while (
      i + 1 < lines.length &&
      ((lines[i + 1] as string).startsWith('\t') || ((lines[i + 1] as string).trim() === '' && (lines[i + 2] ?? '').startsWith('\t')))
    )
      i++;
  }
  const added = DOCKER_TARGETS.filter((t) => !rewritten.includes(t));
  if (added.length > 0) {
    if (out[out.length - 1] !== '') out.push('');
    out.push('# Docker targets: the tasks do the work (pnpm task --list shows them all).', `.PHONY: ${added.join(' ')}`);
    for (const t of added) out.push(`${t}:`, shim(t), '');
  }
  return { text: out.join('\n'), rewritten, added };
}
