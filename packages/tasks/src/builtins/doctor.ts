import { z } from 'zod';
import { dockerCandidates, probeClient } from '../docker/client.ts';
import { detectCompose } from '../docker/compose.ts';
import { ErrorCode, TaskError } from '../errors.ts';
import { capture } from '../exec/run-command.ts';
import { action } from '../model/steps.ts';
import { defineTask } from '../model/task.ts';
import { projectChecks } from '../workflow/project-checks.ts';

export interface Check {
  name: string;
  ok: boolean;
  detail: string;
  fix?: string;
}

export const doctor = defineTask({
  name: 'doctor',
  group: 'config',
  description: 'Check the machine and the project: Docker reachable, BuildKit usable, which Compose, build context, compose files, base images',
  options: z.object({}),
  run: (_opts, ctx) => [
    action(
      'check Docker, BuildKit, Compose and the project',
      ["probe each docker client on PATH (version, buildx), the daemon, docker compose / docker-compose, and the project's Docker files"],
      async (rt) => {
        const checks = [...(await runChecks(ctx.env, ctx.cwd)), ...(await projectChecks(ctx))];
        for (const c of checks) rt.log(`${c.ok ? '✔' : '✖'} ${c.name}: ${c.detail}${c.fix ? `\n    fix: ${c.fix}` : ''}`);
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

export async function runChecks(env: Readonly<Record<string, string | undefined>>, cwd: string): Promise<Check[]> {
  const checks: Check[] = [];
  const candidates = dockerCandidates(env);
  if (candidates.length === 0) {
    return [
      {
        name: 'docker client',
        ok: false,
        detail: 'no docker on PATH',
        fix: 'install Docker (Debian: apt-get install docker.io docker-compose), or set DOCKER=/path/to/docker',
      },
    ];
  }
  const clients = [];
  for (const bin of candidates) {
    const c = await probeClient(bin, cwd);
    if (c) clients.push(c);
  }
  const withBuildkit = clients.find((c) => c.buildkit.ok);
  const client = withBuildkit ?? clients[0];
  checks.push(
    client
      ? {
          name: 'docker client',
          ok: true,
          detail: `${client.bin} (${client.version})${
            clients.length > 1
              ? `; also found ${clients
                  .filter((c) => c !== client)
                  .map((c) => `${c.bin} ${c.version}`)
                  .join(', ')}`
              : ''
          }`,
        }
      : { name: 'docker client', ok: false, detail: `${candidates.join(', ')} did not answer \`docker version\``, fix: 'reinstall the docker CLI' },
  );
  if (!client) return checks;
  checks.push(
    withBuildkit?.buildkit.ok
      ? {
          name: 'BuildKit',
          ok: true,
          detail: withBuildkit.buildkit.via === 'buildx' ? 'buildx plugin' : `built into docker ${withBuildkit.version} (DOCKER_BUILDKIT=1)`,
        }
      : {
          name: 'BuildKit',
          ok: false,
          detail: client.buildkit.ok ? '' : client.buildkit.why,
          fix: 'install the buildx plugin (package docker-buildx-plugin or docker-buildx), or point DOCKER at a client with BuildKit built in (Debian docker.io 20.10: DOCKER=/usr/bin/docker)',
        },
  );
  // `docker version` (not `info --format`, which hides the connection error behind a template error on 20.10).
  const server = await capture([client.bin, 'version', '--format', '{{.Server.Version}} {{.Server.APIVersion}}'], cwd);
  const [engine, api] = server.stdout.split(' ');
  const socket = env.DOCKER_HOST ?? 'unix:///var/run/docker.sock';
  checks.push(
    server.exitCode === 0 && engine
      ? { name: 'Docker daemon', ok: true, detail: `engine ${engine}, API ${api}` }
      : {
          name: 'Docker daemon',
          ok: false,
          detail: (
            server.stderr.split('\n').find((l) => /cannot connect|permission denied|error/i.test(l)) ??
            server.stderr.split('\n')[0] ??
            'no answer'
          ).trim(),
          fix: `start the daemon (systemctl start docker, or run dockerd in the background), check that ${socket} is the right address${env.DOCKER_HOST ? ' (DOCKER_HOST is set)' : ''} and that you may use it`,
        },
  );
  const compose = await detectCompose(client.bin, cwd);
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
