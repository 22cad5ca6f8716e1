/** The repo's tasks.config.ts, written from what migrate carried: its own schema, and the template's settings. */

import { compareText } from '../../text/compare.ts';
import type { OldSetup } from '../carry/old-setup.ts';

export interface ConfigFileOptions {
  image: string;
  composeFiles: { full: string[]; dev: string[] };
}

const q = (s: string) => JSON.stringify(s);

export function renderConfig(setup: OldSetup, opts: ConfigFileOptions): string {
  const { carry } = setup;
  const lines = [
    "// Written by `task migrate` from this repo's old Docker set-up; edit it freely. `task migrate --dry-run` showed where",
    '// each old line went; docs/configuration.md in @promtior/tasks lists every key.',
    'export default {',
    `  // ${carry.preset === 'none' ? "This service's own variables only: not the chat assistant's (ADMIN_REINGEST_KEY, LLM_PROVIDER...)." : "The chat assistant's variables."}`,
    `  preset: ${q(carry.preset)},`,
    `  image: ${q(opts.image)},`,
    `  composeFiles: { full: [${opts.composeFiles.full.map(q).join(', ')}], dev: [${opts.composeFiles.dev.map(q).join(', ')}] },`,
  ];
  const defaults = Object.entries(carry.defaults).sort(([a], [b]) => compareText(a, b));
  if (defaults.length > 0) {
    lines.push('  // How the template builds and starts this service (build args and compose variables; .env or the shell override them).');
    lines.push('  defaults: {', ...defaults.map(([k, v]) => `    ${k}: ${q(v)},`), '  },');
  }
  const vars = [...carry.vars.values()].sort((a, b) => compareText(a.key, b.key));
  if (vars.length > 0) {
    lines.push("  // This service's variables: env-check validates them, secrets are masked in all output.");
    lines.push('  env: {');
    for (const v of vars) {
      const parts = [`description: ${q(v.description)}`];
      if (!v.secret && v.value !== undefined) parts.push(`default: ${q(v.value)}`);
      if (v.secret) parts.push('secret: true');
      if (v.required) parts.push('required: true');
      lines.push(`    ${v.key}: { ${parts.join(', ')} },`);
    }
    lines.push('  },');
  }
  lines.push('};', '');
  return lines.join('\n');
}
