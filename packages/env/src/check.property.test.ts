/**
 * Property-based tests (fast-check) for the whole check: any file content gives a result or an EnvError, never
 * another exception; no message has a control character in it; and no secret, nor any value built from one, appears
 * in any message, rendered the way the CLI renders them (text and JSON), even secrets holding `"`, `\` or escapes.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkEnv } from './check.ts';
import { envText } from './dotenv/env-text.arbitrary.ts';
import { EnvError, EnvErrorCode, type EnvIssue, issueLocation } from './errors.ts';
import { workflowSpec } from './schema/workflow-spec.ts';
import { escapeControls, quoteText } from './text/escape.ts';

const cwd = mkdtempSync(path.join(tmpdir(), 'env-prop-'));
let n = 0;

/** Runs the check on `text` as the only env file; returns what the CLI would have to print, and the error if any. */
function check(text: string | Uint8Array, shell: Record<string, string> = {}) {
  const file = `f${n++}.env`;
  writeFileSync(path.join(cwd, file), text);
  try {
    const r = checkEnv(workflowSpec, { cwd, files: [file], shell });
    return { message: `${Object.keys(r.values).length} variables valid`, issues: r.issues, secrets: r.secrets };
  } catch (error) {
    if (!(error instanceof EnvError)) throw error;
    return { message: error.message, issues: error.issues, secrets: error.secrets, error };
  }
}

/** The CLI's two renderings: lines of text, and JSON events. */
function render(message: string, issues: readonly EnvIssue[]): string[] {
  const lines = [`error: ${message}.`];
  for (const i of issues)
    lines.push(`  ${i.severity === 'error' ? '✖' : '⚠'} ${issueLocation(i) ? `${issueLocation(i)}: ` : ''}${i.message}`, `      fix: ${i.fix}`);
  const text = lines.join('\n');
  return [text, JSON.stringify({ event: 'error', message: text }), JSON.stringify({ message, issues })];
}

/** How a secret could show up: as is, JSON-encoded, escaped for a message, or cut short to its start. */
function forms(secret: string): string[] {
  const all = [secret, JSON.stringify(secret).slice(1, -1), quoteText(secret, 1e6).slice(1, -1), escapeControls(secret)];
  return [...all, ...all.map((s) => s.slice(0, 16))];
}

/** A double-quoted .env value that compose reads back as `s`. */
function quoted(s: string): string {
  return `"${[...s].map((c) => (c === '"' || c === '\\' || c === '$' ? `\\${c}` : c < ' ' ? `\\${c.charCodeAt(0).toString(8).padStart(3, '0')}` : c)).join('')}"`;
}

const secretText = fc
  .string({ minLength: 8, maxLength: 40, unit: fc.constantFrom(...'abcXYZ019"\\\'$#{}() \t=:`-é\x1b\u202e'.split('')) })
  .map((s) => `Zq9SECRET${s}`);

const derived = fc.subarray(
  [
    `APP_PORT=\${ADMIN_REINGEST_KEY}`,
    `OLLAMA_BASE_URL=http://u:\${ADMIN_REINGEST_KEY}@ollama:11434`,
    'MID=$ADMIN_REINGEST_KEY',
    `OLLAMA_MODEL=\${MID}-x`,
    `ENVIRONMENT=\${NOPE:-$ADMIN_REINGEST_KEY}`,
    `LLM_PROVIDER="\${ADMIN_REINGEST_KEY}"`,
    `PYTHON_IMAGE=\${ADMIN_REINGEST_KEY:+set}`,
    `UV_IMAGE=\${NOPE:?$ADMIN_REINGEST_KEY}`,
    `OLLAMA_IMAGE=\${NOPE:?\${OPENAI_API_KEY}}`,
    `OLLAMA_EMBEDDING_MODEL=x\${OPENAI_API_KEY`,
    `ADMIN_REINGEST_KY=\${ADMIN_REINGEST_KEY}`,
    'APP_PROT=$OPENAI_API_KEY',
    `OPENAI_MODEL=\${OPENAI_API_KEY}`,
  ],
  { minLength: 1 },
);

describe('checkEnv takes any file', () => {
  it('returns or throws EnvError for any bytes, and its messages hold no control character', () => {
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 300 }), envText), (content) => {
        const r = check(content);
        for (const i of r.issues) {
          // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point.
          expect(`${issueLocation(i)} ${i.message} ${i.fix}`).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('never shows a secret or a value built from one, in text or JSON, whatever surrounds it', () => {
    fc.assert(
      fc.property(
        secretText,
        secretText,
        fc.array(envText, { maxLength: 3 }),
        derived,
        fc.array(envText, { maxLength: 4 }),
        (key, apiKey, before, uses, after) => {
          const text = [...before, `ADMIN_REINGEST_KEY=${quoted(key)}`, ...uses, ...after].join('\n');
          const r = check(text, { OPENAI_API_KEY: apiKey, LLM_PROVIDER: 'openai' });
          for (const out of render(r.message, r.issues)) {
            for (const form of [...forms(key), ...forms(apiKey)]) expect(out).not.toContain(form);
          }
          // Unless the file could not be read at all (a NUL byte in the noise), the secrets were found, to be masked.
          if (r.error?.code === EnvErrorCode.fileBinary) return;
          expect(r.secrets).toContain(apiKey);
          if (before.length === 0) expect(r.secrets).toContain(key);
        },
      ),
      { numRuns: 400 },
    );
  });
});
