/** Backup: volume backup throughput against plain tar, and peak memory (needs the engine). */
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { OFFLINE_IMAGES } from '@promtior/docker-assets';
import type { RunContext } from '@promtior/tasks';
import { docker, exampleProject, root, runWithPeakRss, type Suite, task } from './_util.ts';

/** Volume backup throughput against plain tar of the same volume, and peak memory at two volume sizes. */
async function volumeBackup(rt: RunContext): Promise<void> {
  const image = OFFLINE_IMAGES.PYTHON_IMAGE;
  for (const mb of [100, 1000]) {
    const dir = exampleProject(18903);
    const project = path.basename(dir).toLowerCase();
    const volume = `${project}_bench`;
    try {
      spawnSync(docker, ['volume', 'create', '--label', `com.docker.compose.project=${project}`, volume], { stdio: 'ignore' });
      spawnSync(docker, ['run', '--rm', '-v', `${volume}:/v`, '--entrypoint', 'sh', image, '-c', `head -c ${mb}000000 /dev/urandom > /v/data.bin`], {
        stdio: 'ignore',
      });
      const plainStarted = Date.now();
      const plain = spawnSync(
        docker,
        ['run', '--rm', '--network', 'none', '-v', `${volume}:/v:ro`, '-v', `${dir}:/out`, '--entrypoint', 'sh', image, '-c', 'tar -C /v -cf /out/plain.tar .'],
        { stdio: 'ignore' },
      );
      if (plain.status !== 0) throw new Error('plain tar failed');
      const plainS = (Date.now() - plainStarted) / 1000;
      rmSync(path.join(dir, 'plain.tar'), { force: true });
      const ours = await runWithPeakRss(['backup', '--volumes'], dir);
      const m = ours.stdout.match(/volume \S+: ([\d.]+) (MB|GB) in ([\d.]+) s/);
      const oursS = Number(m?.[3] ?? Number.NaN);
      rt.log(
        `backup ${mb} MB volume: stream ${oursS.toFixed(1)} s (${(mb / oursS).toFixed(0)} MB/s) vs plain tar ${plainS.toFixed(1)} s (${(mb / plainS).toFixed(0)} MB/s): ${((plainS / oursS) * 100).toFixed(0)} % of plain tar (target >= 80 %); whole task ${(ours.ms / 1000).toFixed(1)} s incl. verify; peak RSS of the task ${ours.peakMb.toFixed(0)} MB`,
      );
    } finally {
      spawnSync(docker, ['volume', 'rm', '-f', volume], { stdio: 'ignore' });
      rmSync(dir, { recursive: true, force: true });
    }
  }
}

export const backupSuite: Suite = async ({ rt }) => {
  task(['docker-offline-images'], root);
  await volumeBackup(rt);
};
