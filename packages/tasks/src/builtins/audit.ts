import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ALL_RULES, defaultFiles, formatJson, formatSarif, formatTable, loadInput, runAudit } from '@promtior/audit';
import { loadEnv } from '@promtior/env';
import { z } from 'zod';
import { ErrorCode, TaskError } from '../errors.ts';
import { action } from '../model/steps.ts';
import { defineTask } from '../model/task.ts';
import { libraryVersion } from '../registry/registry.ts';
import { suggest } from '../text/suggest.ts';
import { dockerFile, resolveProject } from '../workflow/project.ts';

export const IGNORE_FILE = '.audit-ignore.json';

export const audit = defineTask({
  name: 'audit',
  group: 'quality',
  description: "Score the Docker set-up on the seed's six security categories (static: no engine needed); table, JSON or SARIF",
  options: z.object({
    dockerfile: z.array(z.string()).default([]).describe('Dockerfile to audit (repeatable; default: those of the folder)'),
    compose: z.array(z.string()).default([]).describe('compose files in merge order (repeatable; default: the base file and its override)'),
    format: z.enum(['table', 'json', 'sarif']).default('table').describe('report format; json and sarif go to stdout alone'),
    minScore: z.coerce.number().int().min(0).max(60).optional().describe('exit 1 when the total is below this'),
  }),
  examples: ['task audit', 'task -C services/api audit --min-score 50', 'task audit --format sarif > audit.sarif'],
  dataOutput: (o) => o.format !== 'table',
  plan: (opts, ctx) => {
    const explicit = opts.dockerfile.length > 0 || opts.compose.length > 0;
    const own = defaultFiles(ctx.cwd);
    const inPlace = !explicit && own.dockerfiles.length === 0 && own.composeFiles.length === 0;
    const project = resolveProject(ctx);
    const dir = inPlace ? project.dir : ctx.cwd;
    const dockerfiles = explicit ? opts.dockerfile : inPlace ? [dockerFile(project, 'Dockerfile')] : own.dockerfiles;
    const composeFiles = explicit ? opts.compose : inPlace ? [dockerFile(project, 'docker-compose.full.yml')] : own.composeFiles;
    const dockerignore = inPlace && path.isAbsolute(dockerfiles[0] ?? '') ? `${dockerfiles[0]}.dockerignore` : undefined;
    return [
      action(
        'audit',
        [`read ${[...dockerfiles, ...composeFiles].join(', ') || '(no Docker files)'} and .dockerignore in ${dir}; apply ${ALL_RULES.length} rules`],
        async (rt) => {
          const missing = [...dockerfiles, ...composeFiles].filter((f) => !existsSync(path.resolve(dir, f)));
          if (missing.length > 0)
            throw new TaskError(ErrorCode.badFlag, `no such file: ${missing.join(', ')} (in ${dir}). Check the --dockerfile/--compose paths.`);
          const ignores = readIgnores(dir);
          let env: Record<string, string | undefined> = { ...ctx.env };
          try {
            env = { ...loadEnv({ cwd: dir, files: ctx.envFiles, shell: {} }).values, ...ctx.env };
          } catch {
            // No .env: interpolate from the shell alone.
          }
          const report = runAudit(loadInput({ dir, dockerfiles, composeFiles, dockerignore, env }), { ignores });
          const text =
            opts.format === 'json' ? formatJson(report) : opts.format === 'sarif' ? formatSarif(report, ALL_RULES, libraryVersion()) : formatTable(report);
          rt.result(text);
          rt.log(`audit: ${report.score.total}/60, ${report.findings.length} findings (${report.ignored.length} ignored)`);
          if (opts.minScore !== undefined && report.score.total < opts.minScore) {
            throw new TaskError(
              ErrorCode.checkFailed,
              `the audit score ${report.score.total}/60 is below --min-score ${opts.minScore}. Fix the findings above (highest severity first), or ignore one with a reason in ${IGNORE_FILE}.`,
            );
          }
        },
      ),
    ];
  },
});

interface IgnoreEntry {
  rule: string;
  file?: string;
  reason: string;
}

/** `.audit-ignore.json`: `{ "ignores": [{ "rule": "BI-011", "file": "docker-compose.yml", "reason": "..." }] }`, a reason for each. */
function readIgnores(dir: string): IgnoreEntry[] {
  const file = path.join(dir, IGNORE_FILE);
  if (!existsSync(file)) return [];
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new TaskError(ErrorCode.badFlag, `${file} is not valid JSON: ${(error as Error).message}. Fix the file.`);
  }
  const entries = (data as { ignores?: unknown }).ignores;
  if (!Array.isArray(entries)) throw new TaskError(ErrorCode.badFlag, `${file}: expected {"ignores": [{"rule": "RULE-ID", "reason": "why"}]}.`);
  const ids = ALL_RULES.map((r) => r.id);
  return entries.map((e: Partial<IgnoreEntry>, i) => {
    if (typeof e.rule !== 'string' || !ids.includes(e.rule)) {
      const hint = typeof e.rule === 'string' ? suggest(e.rule, ids) : undefined;
      throw new TaskError(
        ErrorCode.badFlag,
        `${file}: ignores[${i}] names no known rule (${JSON.stringify(e.rule)})${hint ? `; did you mean ${hint}?` : ''}. \`task audit --format json\` lists rule ids.`,
      );
    }
    if (typeof e.reason !== 'string' || e.reason.trim().length < 3)
      throw new TaskError(ErrorCode.badFlag, `${file}: ignores[${i}] (${e.rule}) needs a "reason": say why the finding does not apply.`);
    return { rule: e.rule, file: e.file, reason: e.reason };
  });
}
