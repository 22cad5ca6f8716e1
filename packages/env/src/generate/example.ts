/** Renders `.env.example` from a spec: required keys first with how to fill them, defaults commented out. */
import type { EnvSpec } from '../schema/spec.ts';

export function renderEnvExample(spec: EnvSpec): string {
  const lines = [
    '# Generated from the env schema by `pnpm task generate`; do not edit by hand.',
    '# Copy to .env and fill in the required values. The shell environment overrides this file.',
    '',
  ];
  for (const [key, s] of Object.entries(spec)) {
    lines.push(`# ${s.description}`);
    const req = s.required === true ? 'required' : s.required ? `required when ${s.required.reason}` : 'optional';
    lines.push(`# ${req}${s.secret ? ', secret' : ''}; expected: ${s.expected}${s.howTo ? `; ${s.howTo}` : ''}`);
    if (s.required === true) lines.push(`${key}=${s.secret ? '' : (s.example ?? '')}`);
    else lines.push(`# ${key}=${s.default ?? s.example ?? ''}`);
    lines.push('');
  }
  return lines.join('\n');
}
