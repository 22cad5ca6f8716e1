/**
 * Migrate: for each shape of the team-repos corpus (test/fixtures/team-repos), the time `migrate --yes` takes (it
 * proves the result: build, start, the team's health check, stop) and the time the migrated repo's
 * `task docker-run` takes until it answers the team's health path (needs the engine).
 */
import { spawnSync } from 'node:child_process';
import { removeProject } from '../../test/helpers/project.ts';
import { buildKvImage, KV_IMAGE, removeVolumes, teamRepo } from '../../test/helpers/team-repos.ts';
import { docker, type Suite, task } from './_util.ts';
import { MIGRATE_SHAPES } from './migrate-shapes.ts';

export const migrateSuite: Suite = async ({ rt, record }) => {
  buildKvImage();
  try {
    for (const s of MIGRATE_SHAPES) {
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
