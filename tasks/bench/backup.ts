/** Backup: volume backup throughput against plain tar, and peak memory (needs the engine). */
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { OFFLINE_IMAGES } from '@promtior/docker-assets';
import { docker, exampleProject, type Figure, root, runWithPeakRss, type Suite, task } from './_util.ts';

/** Volume backup throughput against plain tar of the same volume, and peak memory at two volume sizes. */
async function volumeBackup(record: (f: Figure) => void): Promise<void> {
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
      // A figure the output no longer carries is an error, never a NaN in the results file.
      if (!m) throw new Error(`backup --volumes printed no "volume NAME: SIZE in N s" line:\n${ours.stdout}`);
      const oursS = Number(m[3]);
      const size = mb >= 1000 ? `${mb / 1000} GB` : `${mb} MB`;
      const share = (plainS / oursS) * 100;
      record({
        id: `backup.volume-${mb}mb.speed`,
        value: share,
        unit: '%',
        text: `backup of a ${size} volume: ${oursS.toFixed(1)} s (${(mb / oursS).toFixed(0)} MB/s) against plain tar's ${plainS.toFixed(1)} s (${(mb / plainS).toFixed(0)} MB/s) in the same run: ${share.toFixed(0)} % of its speed (target >= 80 %); the whole task ${(ours.ms / 1000).toFixed(1)} s with its verify`,
      });
      record({
        id: `backup.volume-${mb}mb.rss`,
        value: ours.peakMb,
        unit: 'MB',
        text: `backup of a ${size} volume: peak RSS of the task ${ours.peakMb.toFixed(0)} MB`,
      });
    } finally {
      spawnSync(docker, ['volume', 'rm', '-f', volume], { stdio: 'ignore' });
      rmSync(dir, { recursive: true, force: true });
    }
  }
}

export const backupSuite: Suite = async ({ record }) => {
  task(['docker-offline-images'], root);
  await volumeBackup(record);
};
