import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ALL_RULES, AuditInputError, defaultFiles, formatJson, formatSarif, formatTable, LOOKED_FOR, loadInput, runAudit } from '@promtior/audit';
import { assetPath } from '@promtior/docker-assets';
import { loadEnv } from '@promtior/env';
import { z } from 'zod';
import { ErrorCode, ExitCode, TaskError } from '../errors.ts';
import { action } from '../model/steps.ts';
import { defineTask } from '../model/task.ts';
import { libraryVersion } from '../registry/registry.ts';
import { suggest } from '../text/suggest.ts';
import { resolveProject } from '../workflow/project.ts';

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
    assets: z.boolean().default(false).describe("audit the assets package's files (what the Docker tasks use where the project has none)"),
  }),
  examples: ['task audit', 'task -C services/api audit --min-score 50', 'task audit --format sarif > audit.sarif', 'task audit --assets'],
  dataOutput: (o) => o.format !== 'table',
  plan: (opts, ctx) => {
    const explicit = opts.dockerfile.length > 0 || opts.compose.length > 0;
    const project = resolveProject(ctx);
    // Discovery: the folder's own Docker files, else the project folder's (package.json "promtior-tasks.project");
    // the assets package's files only when asked, never in their place.
    const has = (d: string) => Object.values(defaultFiles(d)).some((files) => files.length > 0);
    const dir = explicit ? ctx.cwd : opts.assets ? project.dir : has(ctx.cwd) ? ctx.cwd : has(project.dir) ? project.dir : undefined;
    const dockerfiles = explicit ? opts.dockerfile : opts.assets ? [assetPath('Dockerfile')] : undefined;
    const composeFiles = explicit ? opts.compose : opts.assets ? [assetPath('docker-compose.full.yml')] : undefined;
    const dockerignore = opts.assets ? assetPath('Dockerfile.dockerignore') : undefined;
    // Nothing to audit stops the run (exit 2); a dry run says so instead of failing to plan.
    const nothing = `nothing to audit in ${ctx.cwd}: no ${LOOKED_FOR}${project.dir !== ctx.cwd ? ` there or in the project folder ${project.dir}` : ''}. Run the audit where your Docker files are (-C <folder>), name them (--dockerfile, --compose), or audit the assets package's files the Docker tasks use here with --assets.`;
    if (dir === undefined)
      return [
        action('audit', [`${nothing} (the run stops here with exit 2)`], async () => {
          throw new TaskError(ErrorCode.badFlag, nothing, { exitCode: ExitCode.usage });
        }),
      ];
    return [
      action(
        'audit',
        [
          `read ${dockerfiles || composeFiles ? [...(dockerfiles ?? []), ...(composeFiles ?? [])].join(', ') : 'the Dockerfiles and compose files found'} (and the build contexts and .dockerignore files they use) in ${dir}; apply ${ALL_RULES.length} rules`,
        ],
        async (rt) => {
          const ignores = readIgnores(dir);
          let env: Record<string, string | undefined> = { ...ctx.env };
          try {
            env = { ...loadEnv({ cwd: dir, files: ctx.envFiles, shell: {} }).values, ...ctx.env };
          } catch {
            // No .env: interpolate from the shell alone.
          }
          let input: ReturnType<typeof loadInput>;
          try {
            input = loadInput({ dir, dockerfiles, composeFiles, dockerignore, env });
          } catch (error) {
            if (error instanceof AuditInputError) throw new TaskError(ErrorCode.badFlag, error.message, { exitCode: ExitCode.usage, cause: error });
            throw error;
          }
          const report = runAudit(input, { ignores });
          const text =
            opts.format === 'json' ? formatJson(report) : opts.format === 'sarif' ? formatSarif(report, ALL_RULES, libraryVersion()) : formatTable(report);
          rt.result(text);
          rt.log(`audit: ${report.score.total}/60, ${report.findings.length} findings (${report.ignored.length} ignored)`);
          if (report.inputErrors.length > 0) {
            throw new TaskError(
              ErrorCode.checkFailed,
              `the audit could not read ${[...new Set(report.inputErrors.map((e) => e.file))].join(', ')} (${report.inputErrors.map((e) => `${e.file}:${e.line}: ${e.message}`).join('; ')}). Fix or name the right file${opts.minScore !== undefined ? `; --min-score ${opts.minScore} cannot pass on files that were not read` : ''} (a score that leaves them out would call them safe).`,
            );
          }
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
