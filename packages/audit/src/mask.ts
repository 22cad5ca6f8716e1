/**
 * Secrets never reach a report: every value the audited files give a secret-named variable (Dockerfile ENV/ARG,
 * compose environment and build args, after interpolation from .env too) and every credential-shaped string is
 * replaced by *** in each finding, whatever rule wrote it (a CMD or a health check quoted in a message included).
 */
import type { AuditInput } from './model.ts';
import { CREDENTIAL_VALUE, isSecretName, isSwitch } from './rules/helpers.ts';

function values(input: AuditInput): string[] {
  const out = new Set<string>();
  const add = (key: string, value: unknown) => {
    const v = typeof value === 'string' ? value.trim() : '';
    if (v.length >= 4 && isSecretName(key) && !isSwitch(v)) out.add(v);
  };
  for (const df of input.dockerfiles)
    for (const i of df.all)
      if (i.cmd === 'ENV' || i.cmd === 'ARG')
        for (const m of i.args.matchAll(/([\w.-]+)[=\s]("[^"]*"|'[^']*'|\S+)/g)) add(m[1] as string, (m[2] as string).replace(/^["']|["']$/g, ''));
  for (const s of input.compose?.services ?? []) {
    for (const source of [s.config, s.raw]) {
      for (const [k, v] of Object.entries((source.environment as Record<string, unknown>) ?? {})) add(k, v);
      const build = source.build;
      if (build && typeof build === 'object' && !Array.isArray(build))
        for (const [k, v] of Object.entries((build.args as Record<string, unknown>) ?? {})) add(k, v);
    }
  }
  return [...out].sort((a, b) => b.length - a.length);
}

/** A function that masks this input's secrets in any text (values exactly as written; credential shapes in any case). */
export function masker(input: AuditInput): (text: string) => string {
  const escaped = values(input).map((v) => v.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  const exact = escaped.length > 0 ? new RegExp(escaped.join('|'), 'g') : undefined;
  const shapes = new RegExp(CREDENTIAL_VALUE.map((re) => re.source).join('|'), 'gi');
  return (text) => (exact ? text.replace(exact, '***') : text).replace(shapes, '***');
}
