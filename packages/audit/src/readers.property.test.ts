/**
 * Properties of the readers and the report for any input (issue 9, Proof): no internal error, only problems and
 * findings; a bounded result (the YAML reader never hands out more than its node budget, whatever the anchors);
 * and no secret value in the table, JSON or SARIF output when the audited files hold one.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runAudit } from './audit.ts';
import { formatJson } from './format/json.ts';
import { formatSarif } from './format/sarif.ts';
import { formatTable } from './format/table.ts';
import type { AuditInput } from './model.ts';
import { loadCompose } from './parse/compose.ts';
import { parseDockerfile } from './parse/dockerfile.ts';
import { ALL_RULES } from './rules/all.ts';
import { readYaml, YAML_LIMITS } from './yaml/read-yaml.ts';

/** YAML-ish text: the tokens that matter (anchors, aliases, merge keys, flow and block structure) in any order. */
const yamlish = fc
  .array(
    fc.oneof(
      fc.constantFrom('&a ', '&b ', '*a', '*b', '<<: ', '[', ']', '{', '}', ', ', ': ', '- ', '\n', '  ', '"', "'", '#', '? ', '|', '>', '!!str ', '---\n'),
      fc.stringMatching(/^[a-z_]{1,6}$/),
      fc.string({ maxLength: 8 }),
    ),
    { maxLength: 80 },
  )
  .map((parts) => parts.join(''));

/** A nest of anchors that each alias the previous one several times: a bomb of random shape. */
const bomb = fc.record({ levels: fc.integer({ min: 1, max: 12 }), fan: fc.integer({ min: 1, max: 12 }), merge: fc.boolean() }).map(({ levels, fan, merge }) => {
  let s = 'x0: &x0 {k: v}\n';
  for (let i = 1; i <= levels; i++) {
    const refs = Array.from({ length: fan }, () => `*x${i - 1}`);
    s += merge ? `x${i}: &x${i}\n${refs.map((r, j) => `  n${j}: {<<: ${r}}`).join('\n')}\n` : `x${i}: &x${i} [${refs.join(', ')}]\n`;
  }
  return `${s}services:\n  app:\n    labels: *x${levels}\n`;
});

/** Values counted the way an expansion would count them, stopping once past the limit. */
function expandedSize(v: unknown, limit: number): number {
  let n = 0;
  const stack = [v];
  while (stack.length > 0 && n <= limit) {
    const x = stack.pop();
    n++;
    if (x && typeof x === 'object') stack.push(...Object.values(x));
  }
  return n;
}

const SECRET_KEYS = ['DB_PASSWORD', 'API_TOKEN', 'SECRET_KEY', 'ADMIN_REINGEST_KEY', 'OPENAI_API_KEY', 'npmToken'];

describe('the readers, for any input', () => {
  it('readYaml never throws and never hands out more than its node budget', () => {
    fc.assert(
      fc.property(fc.oneof(yamlish, bomb, fc.string(), fc.string({ unit: 'binary' })), (text) => {
        const r = readYaml(text, 'f.yml');
        for (const p of r.problems) {
          expect(p.line).toBeGreaterThanOrEqual(1);
          expect(['syntax', 'duplicate', 'limit']).toContain(p.kind);
        }
        if (r.problems.length === 0) expect(expandedSize(r.data, YAML_LIMITS.maxNodes + 10)).toBeLessThanOrEqual(YAML_LIMITS.maxNodes + 1);
      }),
      { numRuns: 400 },
    );
  });

  it('parseDockerfile and loadCompose never throw; every line they name is in the file', () => {
    const dockerfileish = fc
      .array(
        fc.oneof(
          fc.constantFrom(
            'FROM ',
            'RUN ',
            'USER ',
            'ENV ',
            'ARG ',
            'COPY ',
            'HEALTHCHECK ',
            '<<EOF',
            'EOF',
            '\\\n',
            '\n',
            '# escape=`\n',
            '`',
            '--mount=',
            '=',
          ),
          fc.string({ maxLength: 10 }),
        ),
        {
          maxLength: 60,
        },
      )
      .map((p) => p.join(''));
    fc.assert(
      fc.property(fc.oneof(dockerfileish, fc.string(), fc.string({ unit: 'binary' })), yamlish, (df, compose) => {
        const lines = df.split(/\r\n?|\n/).length;
        const parsed = parseDockerfile('Dockerfile', df);
        for (const i of parsed.all) expect(i.line).toBeLessThanOrEqual(lines);
        for (const p of parsed.problems) expect(p.line).toBeLessThanOrEqual(Math.max(1, lines));
        const c = loadCompose([{ file: 'docker-compose.yml', text: compose }], {});
        expect(() => runAudit({ dir: '/x', dockerfiles: [parsed], compose: c, contextFiles: [] })).not.toThrow();
      }),
      { numRuns: 300 },
    );
  });
});

describe('the report', () => {
  it('never prints a secret value the audited files hold, in table, JSON or SARIF', () => {
    const secret = fc.stringMatching(/^[A-Za-z0-9+/_-]{12,40}$/).filter((s) => /[0-9]/.test(s) && /[A-Za-z]/.test(s));
    fc.assert(
      fc.property(secret, fc.constantFrom(...SECRET_KEYS), fc.integer({ min: 0, max: 5 }), (value, key, where) => {
        const dockerfile = [
          `FROM python:3.12-slim\nENV ${key}=${value}\nCMD ["python3"]\n`,
          `FROM python:3.12-slim\nARG ${key}=${value}\nRUN echo ${value} > /tmp/x\n`,
          `FROM python:3.12-slim\nENV ${key} ${value}\nHEALTHCHECK CMD curl -H "Authorization: ${value}" http://localhost/\nCMD python3 -m app ${value}\n`,
        ][where % 3] as string;
        const compose = [
          `services:\n  app:\n    image: a:1\n    environment:\n      ${key}: ${value}\n    command: run --token ${value}\n`,
          `services:\n  app:\n    image: a:1\n    environment:\n      - ${key}=${value}\n    healthcheck:\n      test: curl http://u:${value}@localhost/\n`,
          `services:\n  app:\n    build:\n      context: .\n      args:\n        ${key}: ${value}\n    environment:\n      ${key}: \${${key}:-${value}}\n`,
        ][where % 3] as string;
        const input: AuditInput = {
          dir: '/x',
          dockerfiles: [parseDockerfile('Dockerfile', dockerfile)],
          compose: loadCompose([{ file: 'docker-compose.yml', text: compose }], {}),
          contextFiles: [],
        };
        const report = runAudit(input);
        for (const out of [formatTable(report), formatJson(report), formatSarif(report, ALL_RULES, '0.0.0')]) expect(out).not.toContain(value);
      }),
      { numRuns: 300 },
    );
  });
});
