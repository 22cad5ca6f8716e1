/** .env after migrate: as it was, plus the secrets moved out of the old Dockerfile and compose file. */

export function envWithSecrets(
  old: string | undefined,
  secrets: readonly { key: string; value: string; from: { file: string; line: number } }[],
): string | undefined {
  const have = new Set(
    (old ?? '')
      .split('\n')
      .map((l) => /^\s*(?:export\s+)?([A-Za-z_]\w*)\s*=/.exec(l)?.[1])
      .filter(Boolean),
  );
  const moved = secrets.filter((s, i) => !have.has(s.key) && secrets.findIndex((t) => t.key === s.key) === i);
  if (moved.length === 0) return old;
  const base = old === undefined || old === '' ? '' : old.endsWith('\n') ? old : `${old}\n`;
  const lines = moved.map((s) => `# moved by task migrate from ${s.from.file}:${s.from.line}\n${s.key}=${quote(s.value)}`);
  return `${base}${lines.join('\n')}\n`;
}

/** Single quotes keep a value as it is in .env (compose and dotenv alike); a value with one is double-quoted. */
function quote(value: string): string {
  if (/^[\w@%+=:,./-]*$/.test(value)) return value;
  return value.includes("'") ? `"${value.replace(/(["\\$`])/g, '\\$1')}"` : `'${value}'`;
}
