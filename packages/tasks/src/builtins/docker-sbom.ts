import { createHash, randomUUID } from 'node:crypto';
import path from 'node:path';
import { z } from 'zod';
import { ErrorCode, TaskError } from '../errors.ts';
import { fromOutput, output } from '../model/data-flow.ts';
import { action, type CmdOutcome, cmd } from '../model/steps.ts';
import { defineTask } from '../model/task.ts';
import { libraryVersion } from '../registry/registry.ts';
import { toCycloneDx } from '../sbom/index.ts';
import { requireEngine } from '../workflow/engine-check.ts';
import { IMAGE_CONTENT_PATTERNS, onlyMissingMembers, readImageContents } from '../workflow/image-contents.ts';
import { checkOutFile, writeOutFile } from '../workflow/out-file.ts';
import { resolveProject } from '../workflow/project.ts';
import { imageRefOption } from '../workflow/ref-options.ts';
import { claimWorkDir, workDir } from '../workflow/work-dir.ts';
import { DEFAULT_IMAGE } from './docker-build.ts';

export const dockerSbom = defineTask({
  name: 'docker-sbom',
  group: 'docker',
  description: 'Write a CycloneDX 1.6 SBOM of a built image from what is in it: Debian packages (dpkg status) and Python distributions',
  options: z.object({
    tag: imageRefOption().optional().describe('the image (default: tasks.config.ts image, else promtior-assistant:latest)'),
    out: z.string().min(1).optional().describe('file to write (default: <image>.cdx.json in the project folder); - prints it on stdout'),
  }),
  positional: ['tag'],
  examples: ['task docker-sbom', 'task docker-sbom promtior-assistant:minimal --out sbom.json', 'task docker-sbom --out - | jq .components'],
  dataOutput: (o) => o.out === '-',
  needs: ['docker', 'clock', 'user'],
  plan: (opts, ctx, facts) => {
    const project = resolveProject(ctx);
    const bin = facts.docker.bin;
    const tag = opts.tag ?? ctx.config.image ?? DEFAULT_IMAGE;
    const file = opts.out === '-' ? undefined : path.resolve(ctx.cwd, opts.out ?? path.join(project.dir, `${tag.replace(/[^A-Za-z0-9._-]+/g, '_')}.cdx.json`));
    // Named after the image and the folder, not the process: the same plan every time (a leftover is removed first).
    const work = workDir(ctx.env, facts.user.uid, `sbom-${createHash('sha256').update(`${ctx.cwd}\0${tag}`).digest('hex').slice(0, 12)}`);
    const id = output<CmdOutcome>('image-id');
    const created = output<CmdOutcome>('container');
    const extracted = output<CmdOutcome>('extracted');
    const container = fromOutput(created, (o) => o.stdout.trim(), '<container>');
    return [
      ...(file ? [action('check --out', [`check that ${file} is a regular file or does not exist yet`], () => checkOutFile(file))] : []),
      requireEngine(facts.docker),
      cmd([bin, 'image', 'inspect', '--format', '{{.Id}}', tag], {
        cwd: project.dir,
        output: id,
        diagnose: (lines) =>
          lines.some((l) => /No such image/i.test(l)) ? `there is no image ${tag} on this machine: build it first (task docker-build --tag ${tag})` : undefined,
      }),
      claimWorkDir(work, facts.user.uid),
      cmd(['rm', '-rf', work], { cwd: project.dir }),
      cmd(['mkdir', '-p', `${work}/fs`], { cwd: project.dir }),
      // A container is created, never started: its filesystem is the image's, and nothing in it runs.
      cmd([bin, 'create', tag, 'sbom'], { cwd: project.dir, output: created }),
      cmd([bin, 'export', '--output', `${work}/image.tar`, container], { cwd: project.dir }),
      // Exit 2 with only "Not found in archive": the image lacks some of these files (no dpkg, no os-release).
      cmd(['tar', '-x', '-f', `${work}/image.tar`, '-C', `${work}/fs`, '--wildcards', '--no-same-owner', '--no-same-permissions', ...IMAGE_CONTENT_PATTERNS], {
        cwd: project.dir,
        okExitCodes: [2],
        output: extracted,
      }),
      action(
        'write the SBOM',
        [
          `read ${work}/fs: Debian packages (dpkg status), the distribution (os-release), Python distributions (*.dist-info/METADATA, *.egg-info/PKG-INFO)`,
          `write a CycloneDX 1.6 JSON document to ${file ?? 'stdout'}`,
        ],
        (rt) => {
          const tar = rt.get(extracted);
          if (tar.exitCode !== 0 && !onlyMissingMembers(tar.stderr)) {
            throw new TaskError(ErrorCode.commandFailed, `tar could not read the image's files: ${tar.stderr.trim().split('\n').slice(-3).join(' ')}`);
          }
          const contents = readImageContents(`${work}/fs`);
          const bom = toCycloneDx({
            image: { ref: tag, id: rt.get(id).stdout.trim() },
            ...(contents.os ? { os: contents.os } : {}),
            debs: contents.debs,
            pythons: contents.pythons,
            tool: { name: '@promtior/tasks', version: libraryVersion() },
            timestamp: facts.clock.now.toISOString(),
            serialNumber: `urn:uuid:${randomUUID()}`,
          });
          const json = `${JSON.stringify(bom, null, 2)}\n`;
          const summary = `${bom.components.length} components: ${contents.debs.length} Debian packages${contents.os?.prettyName ? ` (${contents.os.prettyName})` : ''}, ${contents.pythons.length} Python distributions${contents.pythonDirs.length > 0 ? ` (${contents.pythonDirs.join(', ')})` : ''}`;
          if (!file) {
            rt.log(summary);
            return rt.result(json.trimEnd());
          }
          writeOutFile(file, json);
          rt.log(`wrote ${file}: ${summary}`);
        },
        { reads: [id, extracted] },
      ),
      cmd([bin, 'rm', '--force', container], { cwd: project.dir, always: true }),
      cmd(['rm', '-rf', work], { cwd: project.dir, always: true }),
    ];
  },
});
