import { z } from 'zod';
import { ErrorCode, TaskError } from '../errors.ts';
import type { ComposeFlavor, DockerFacts } from '../facts/facts.ts';
import { SILENT_DAEMON_FIX } from '../facts/silent-daemon.ts';
import { action } from '../model/steps.ts';
import { defineTask } from '../model/task.ts';
import { readWorkflowValues } from '../workflow/env.ts';
import { imageChecks } from '../workflow/image-checks.ts';
import { chooseImages } from '../workflow/images.ts';
import { resolveProject } from '../workflow/project.ts';
import { type Check, projectChecks } from '../workflow/project-checks.ts';

export type { Check };

export const doctor = defineTask({
  name: 'doctor',
  group: 'config',
  description: 'Check the machine and the project: Docker reachable, BuildKit usable, which Compose, build context, compose files, base images',
  options: z.object({}),
  needs: ['docker', 'compose', 'images', 'registry'],
  plan: (_opts, ctx, facts) => [
    action(
      'check Docker, BuildKit, Compose and the project',
      [
        "report the docker clients found, BuildKit, the daemon's answer and the compose found (probed once for this run), then the project's Docker files",
        'and which image each role (Python base, uv, Ollama) would use and why: on this machine, pulled, or a local stand-in',
      ],
      (rt) => {
        const values = readWorkflowValues(ctx, resolveProject(ctx).dir);
        const choice = chooseImages('auto', values, facts.images, facts.registry);
        const checks = [
          ...machineChecks(facts.docker, facts.compose, ctx.env),
          ...projectChecks(ctx),
          ...(facts.docker.daemon.ok ? imageChecks(choice, facts.registry) : []),
        ];
        for (const c of checks) rt.log(`${c.ok ? (c.warn ? '!' : '✔') : '✖'} ${c.name}: ${c.detail}${c.fix ? `\n    fix: ${c.fix}` : ''}`);
        const failed = checks.filter((c) => !c.ok);
        if (failed.length > 0) {
          throw new TaskError(ErrorCode.checkFailed, `${failed.length} check${failed.length > 1 ? 's' : ''} failed: ${failed.map((c) => c.name).join(', ')}`, {
            details: failed.map((c) => `${c.name}: ${c.fix ?? c.detail}`),
          });
        }
      },
    ),
  ],
});

/** The machine's facts as checks: clients, BuildKit, daemon, compose. */
export function machineChecks(docker: DockerFacts, compose: ComposeFlavor | undefined, env: Readonly<Record<string, string | undefined>>): Check[] {
  if (docker.candidates.length === 0) {
    return [
      {
        name: 'docker client',
        ok: false,
        detail: 'no docker on PATH',
        fix: 'install Docker (Debian: apt-get install docker.io docker-compose), or set DOCKER=/path/to/docker',
      },
    ];
  }
  const client = docker.chosen;
  const checks: Check[] = [
    client
      ? {
          name: 'docker client',
          ok: true,
          detail: `${client.bin} (${client.version})${
            docker.clients.length > 1
              ? `; also found ${docker.clients
                  .filter((c) => c !== client)
                  .map((c) => `${c.bin} ${c.version}`)
                  .join(', ')}`
              : ''
          }`,
        }
      : { name: 'docker client', ok: false, detail: `${docker.candidates.join(', ')} did not answer \`docker version\``, fix: 'reinstall the docker CLI' },
  ];
  if (!client) return checks;
  checks.push(
    client.buildkit.ok
      ? { name: 'BuildKit', ok: true, detail: client.buildkit.via === 'buildx' ? 'buildx plugin' : `built into docker ${client.version} (DOCKER_BUILDKIT=1)` }
      : {
          name: 'BuildKit',
          ok: false,
          detail: client.buildkit.why,
          fix: 'install the buildx plugin (package docker-buildx-plugin or docker-buildx), or point DOCKER at a client with BuildKit built in (Debian docker.io 20.10: DOCKER=/usr/bin/docker)',
        },
  );
  const d = docker.daemon;
  checks.push(
    d.ok
      ? { name: 'Docker daemon', ok: true, detail: `engine ${d.version}, API ${d.api}` }
      : d.silent
        ? { name: 'Docker daemon', ok: false, detail: `${d.error} (a hung dockerd: stopped or stuck)`, fix: SILENT_DAEMON_FIX }
        : {
            name: 'Docker daemon',
            ok: false,
            detail: d.error,
            fix: `start the daemon (systemctl start docker, or run dockerd in the background), check that ${d.host} is the right address${env.DOCKER_HOST ? ' (DOCKER_HOST is set)' : ''} and that you may use it`,
          },
  );
  checks.push(
    compose
      ? {
          name: 'Compose',
          ok: true,
          detail: compose.kind === 'v2' ? `docker compose ${compose.version} (v2 plugin)` : `docker-compose ${compose.version} (v1; v2 is used when installed)`,
        }
      : {
          name: 'Compose',
          ok: false,
          detail: 'neither `docker compose` nor `docker-compose` answers',
          fix: "install the compose plugin (docker-compose-plugin) or Debian's docker-compose",
        },
  );
  return checks;
}
