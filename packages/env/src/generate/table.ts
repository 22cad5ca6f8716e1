/** Renders the configuration table (Markdown) from a spec, for README and docs. */
import type { EnvSpec } from '../schema/spec.ts';

export function renderEnvTable(spec: EnvSpec): string {
  const rows = ['| Variable | Default | Required | Secret | Build arg | Expected | Description |', '|---|---|---|---|---|---|---|'];
  for (const [key, s] of Object.entries(spec)) {
    const req = s.required === true ? 'yes' : s.required ? `if ${s.required.reason}` : 'no';
    rows.push(
      `| \`${key}\` | ${s.default === undefined ? '–' : `\`${s.default}\``} | ${req} | ${s.secret ? 'yes' : 'no'} | ${s.buildArg ? 'yes' : 'no'} | ${s.expected} | ${s.description} |`,
    );
  }
  return `${rows.join('\n')}\n`;
}
