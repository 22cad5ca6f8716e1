/**
 * The team-repos shapes the migrate bench runs (needs-you stops by design, so it is not one), with what each
 * carries over. Plain data apart from the bench, so the docs' migrate table can name its rows without loading it.
 */
export interface MigrateShape {
  /** The folder under test/fixtures/team-repos, and the middle of the figures' ids (`migrate.<shape>.*`). */
  shape: string;
  carried: string;
  flags?: string[];
  volume?: (name: string) => string;
}

export const MIGRATE_SHAPES: readonly MigrateShape[] = [
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
