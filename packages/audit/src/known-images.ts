/**
 * The user well-known images run their main process as, so a compose service that only names an image still gets
 * a verdict. `root` means the main process runs as UID 0; an image whose entrypoint starts as root and then steps
 * down (gosu/su-exec) to a service user counts as that user. Each entry names where this was read; an image not in
 * the table gets no verdict rather than a guess.
 */
export interface KnownImage {
  /** Repository names as written in `image:` (the docker.io/library/ prefix is stripped before matching). */
  names: readonly string[];
  user: string;
  root: boolean;
  source: string;
}

export const KNOWN_IMAGES: readonly KnownImage[] = [
  {
    names: ['ollama/ollama'],
    user: 'root',
    root: true,
    source: 'ollama/ollama Dockerfile (commit 000ce02): the runtime stages have no USER instruction',
  },
  {
    names: ['python', 'pypy'],
    user: 'root',
    root: true,
    source: 'docker-library/python Dockerfile templates: no USER instruction',
  },
  {
    names: ['node'],
    user: 'root',
    root: true,
    source: 'nodejs/docker-node Dockerfiles: a `node` user (UID 1000) is created but USER is never set; docs/BestPractices.md says to add USER node',
  },
  {
    names: ['golang', 'ruby', 'php', 'openjdk', 'eclipse-temurin', 'debian', 'ubuntu', 'alpine', 'busybox', 'centos', 'fedora'],
    user: 'root',
    root: true,
    source: 'docker-library Dockerfiles of these language and base images: no USER instruction',
  },
  {
    names: ['nginx', 'httpd', 'traefik', 'caddy', 'haproxy'],
    user: 'root',
    root: true,
    source: 'official images: the master/main process runs as root (nginx and httpd workers drop to a service user, the process Docker starts does not)',
  },
  {
    names: ['postgres', 'postgis/postgis'],
    user: 'postgres',
    root: false,
    source: 'docker-library/postgres docker-entrypoint.sh: started as root, it re-executes itself as postgres with gosu',
  },
  {
    names: ['redis'],
    user: 'redis',
    root: false,
    source: 'docker-library/redis docker-entrypoint.sh: started as root, it re-executes as redis with gosu/setpriv',
  },
  {
    names: ['mysql', 'mariadb'],
    user: 'mysql',
    root: false,
    source: 'docker-library/mysql and MariaDB/mariadb-docker docker-entrypoint.sh: mysqld is run as mysql through gosu',
  },
  {
    names: ['mongo'],
    user: 'mongodb',
    root: false,
    source: 'docker-library/mongo docker-entrypoint.sh: mongod is run as mongodb through gosu',
  },
  {
    names: ['memcached'],
    user: 'memcache',
    root: false,
    source: 'docker-library/memcached Dockerfile: USER memcache',
  },
  {
    names: ['grafana/grafana', 'grafana/grafana-oss'],
    user: '472',
    root: false,
    source: 'grafana/grafana Dockerfile: USER "$GF_UID" (472)',
  },
  {
    names: ['prom/prometheus', 'prom/node-exporter', 'prom/alertmanager'],
    user: 'nobody',
    root: false,
    source: 'prometheus/prometheus Dockerfile: USER nobody',
  },
];

/** The table entry for an image reference (`ollama/ollama:0.5.7`, `docker.io/library/python:3.12-slim@sha256:...`). */
export function knownImage(ref: string): KnownImage | undefined {
  const withoutDigest = ref.split('@')[0] ?? '';
  const slash = withoutDigest.lastIndexOf('/');
  const colon = withoutDigest.lastIndexOf(':');
  const name = (colon > slash ? withoutDigest.slice(0, colon) : withoutDigest).replace(/^(docker\.io\/|index\.docker\.io\/)(library\/)?/, '');
  return KNOWN_IMAGES.find((k) => k.names.includes(name));
}
