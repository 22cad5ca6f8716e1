/**
 * Migrate: for each shape of the team-repos corpus (test/fixtures/team-repos), the time `migrate --yes` takes (it
 * proves the result: build, start, the team's health check, stop) and the time the migrated repo's
 * `task docker-run` takes until it answers the team's health path (needs the engine).
 */
import { spawnSync } from 'node:child_process';
import { removeProject } from '../../test/helpers/project.ts';
import { buildKvImage, KV_IMAGE, removeVolumes, teamRepo } from '../../test/helpers/team-repos.ts';
import { docker, type Suite, task } from './_util.ts';

/** The shapes that migrate (needs-you stops by design), with what each carries over, for the figures' text. */
const SHAPES: { shape: string; carried: string; flags?: string[]; volume?: (name: string) => string }[] = [
  { shape: 'requirements-flat', carried: 'requirements.txt, flat app.py command, port 5000, /healthz, compose env' },
  {
    shape: 'src-editable',
    carried: 'pip install -e . (pyproject), src/, console script, Python 3.11, port 8080, docker run -e/-v (named volume kept)',
    flags: ['--images', 'offline'],
    volume: (name) => `shopup-${name}`,
  },
  { shape: 'uv-lock', carried: 'uv.lock (uv sync), flat package module, /status with interval and start period' },
  { shape: 'apt-packages', carried: 'apt packages (tzdata ca-certificates openssl), host port 8081 -> 8080, ENV TZ' },
  { shape: 'db-volume', carried: 'web + database stand-in, named volume dbdata, depends_on, DB_URL' },
  { shape: 'worker', carried: 'web + worker on the app image + cache with named volume, src/ module' },
  { shape: 'env-secrets', carried: 'ENV secrets moved to .env (0600), GREETING, /ping on 7000, compose-less' },
  { shape: 'makefile-extras', carried: 'image from the Makefile, extra targets kept, env_file, ${WEB_PORT} -> APP_HOST_PORT' },
];

export const migrateSuite: Suite = async ({ rt, record }) => {
  buildKvImage();
  try {
    for (const s of SHAPES) {
      const r = teamRepo(s.shape, s.volume ? (name) => ({ 'shop-uploads': s.volume?.(name) as string }) : undefined);
      try {
        const t0 = Date.now();
        task(['migrate', '--yes', ...(s.flags ?? [])], r.dir);
        const migrateS = (Date.now() - t0) / 1000;
        const t1 = Date.now();
        const out = task(['-C', r.dir, 'docker-run', ...(s.flags ?? [])], r.dir);
        const healthyS = (Date.now() - t1) / 1000;
        const ready = /ready: (\S+) answered (\S+) ([\d.]+) s after compose up/.exec(out);
        task(['docker-clean'], r.dir);
        task(['migrate', '--rollback'], r.dir);
        record({
          id: `migrate.${s.shape}.migrate`,
          value: migrateS,
          unit: 's',
          text: `${s.shape}: migrate --yes (with its proof) ${migrateS.toFixed(1)} s; carried ${s.carried}`,
        });
        record({
          id: `migrate.${s.shape}.healthy`,
          value: healthyS,
          unit: 's',
          text: `${s.shape}: task docker-run to ${ready?.[1]}${ready?.[2]} answering ${healthyS.toFixed(1)} s (build cached; ${ready?.[3]} s after compose up)`,
        });
      } finally {
        removeProject({ dir: r.dir, name: r.name, port: 0, tag: '', url: '' });
        if (s.volume) removeVolumes([s.volume(r.name)]);
      }
    }
  } finally {
    spawnSync(docker, ['image', 'rm', KV_IMAGE], { stdio: 'ignore' });
    rt.log('removed the key-value stand-in image');
  }
};
