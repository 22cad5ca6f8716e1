import { z } from 'zod';
import { ErrorCode, ExitCode, TaskError } from '../errors.ts';
import { action, cmd } from '../model/steps.ts';
import { defineTask } from '../model/task.ts';
import { requireEngine } from '../workflow/engine-check.ts';
import { resolveProject } from '../workflow/project.ts';
import { imageRefOption } from '../workflow/ref-options.ts';
import { findScanners, HOW_TO_GET, SCANNERS, SEVERITIES, scanArgv } from '../workflow/scanners.ts';
import { DEFAULT_IMAGE } from './docker-build.ts';

export const dockerScan = defineTask({
  name: 'docker-scan',
  group: 'docker',
  description: 'Scan a built image for known vulnerabilities with trivy, grype or docker scout, whichever is installed (exit 2 when none is)',
  options: z.object({
    tag: imageRefOption().optional().describe('the image (default: tasks.config.ts image, else promtior-assistant:latest)'),
    scanner: z
      .enum(['auto', ...SCANNERS])
      .default('auto')
      .describe('which scanner to run (auto: the first installed of trivy, grype, docker scout)'),
    failOn: z.enum(SEVERITIES).default('critical').describe('fail (exit 1) on findings of this severity or worse'),
  }),
  positional: ['tag'],
  examples: ['task docker-scan', 'task docker-scan promtior-assistant:minimal --fail-on high', 'task docker-scan --scanner grype'],
  needs: ['docker'],
  plan: (opts, ctx, facts) => {
    const project = resolveProject(ctx);
    const tag = opts.tag ?? ctx.config.image ?? DEFAULT_IMAGE;
    const installed = findScanners(ctx.env, facts.docker.bin);
    const scanner = opts.scanner === 'auto' ? installed[0] : installed.find((s) => s.name === opts.scanner);
    if (!scanner) {
      const wanted = opts.scanner === 'auto' ? SCANNERS : ([opts.scanner] as const);
      return [
        action(
          'find a vulnerability scanner',
          [`stop (exit 2): ${opts.scanner === 'auto' ? 'no scanner is installed' : `${opts.scanner} is not installed`}`],
          () => {
            // Never a pass without a scan: a missing tool is the machine's problem, said as such.
            throw new TaskError(
              ErrorCode.scannerMissing,
              `${opts.scanner === 'auto' ? 'no vulnerability scanner is installed (looked for trivy and grype on PATH and the docker scout plugin)' : `${opts.scanner} is not installed`}, so ${tag} was not scanned. Fix: install one, then run task docker-scan again. ${wanted.map((s) => HOW_TO_GET[s]).join('. ')}. Meanwhile \`task docker-sbom ${tag}\` lists what the image holds, for any scanner or a Dependency-Track server.`,
              { exitCode: ExitCode.usage },
            );
          },
        ),
      ];
    }
    return [
      requireEngine(facts.docker),
      cmd(scanArgv(scanner, tag, opts.failOn), {
        cwd: project.dir,
        diagnose: () => `${scanner.name} found vulnerabilities of severity ${opts.failOn} or worse in ${tag} (listed above), or could not scan it`,
      }),
    ];
  },
});
