/** Where the Docker assets live inside this package, so tasks and other repos can use or copy them. */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The files a repo adopts (`task migrate` copies them; the docker tasks use them in place otherwise). */
export const ASSET_FILES = ['Dockerfile', '.dockerignore', 'docker-compose.full.yml', 'docker-compose.dev.yml'] as const;
export type AssetFile = (typeof ASSET_FILES)[number];

export function assetPath(name: AssetFile | 'Dockerfile.dockerignore' | 'docker-compose.start-interval.yml'): string {
  return path.join(root, 'assets', name);
}

/**
 * The Dockerfile's stages that make an image worth running or inspecting, in the order a person would pick them.
 * `runtime-minimal` has no shell, no package manager and no uv: only the interpreter, the venv and the app.
 * (`uv` and `minimal-rootfs` are build-only stages.)
 */
export const DOCKERFILE_TARGETS = ['production', 'runtime-minimal', 'development', 'dependencies', 'base'] as const;
export type DockerfileTarget = (typeof DOCKERFILE_TARGETS)[number];

export type StandIn = 'ollama' | 'uv';

/** Build context of an offline stand-in (`task docker-offline-images`). */
export function offlinePath(name: StandIn): string {
  return path.join(root, 'offline', name);
}

/** A stand-in's tag carries a hash of its build context, so a changed stand-in is rebuilt, never reused stale. */
function contentTag(name: StandIn, basedOn = ''): string {
  const dir = offlinePath(name);
  const hash = createHash('sha256').update(basedOn);
  for (const file of readdirSync(dir).sort())
    hash
      .update(file)
      .update('\0')
      .update(readFileSync(path.join(dir, file)));
  return hash.digest('hex').slice(0, 12);
}

/**
 * How the offline Python base is made: debootstrap of these packages, then imported without apt's caches and
 * lists, documentation and translations (about 145 MB that no container needs).
 */
export const PYTHON_BASE_RECIPE = {
  suite: 'bookworm',
  include: ['python3', 'python3-venv'],
  exclude: ['./var/cache/apt/*', './var/lib/apt/lists/*', './usr/share/doc/*', './usr/share/man/*', './usr/share/info/*', './usr/share/locale/*'],
} as const;

const recipeTag = `${PYTHON_BASE_RECIPE.suite}-${createHash('sha256').update(JSON.stringify(PYTHON_BASE_RECIPE)).digest('hex').slice(0, 8)}`;
const pythonImage = `promtior/python-offline:${recipeTag}`;

/** Local stand-in tags, used when registry images are not on the machine. */
export const OFFLINE_IMAGES = {
  PYTHON_IMAGE: pythonImage,
  UV_IMAGE: `promtior/uv-offline:${contentTag('uv')}`,
  // Built FROM the Python base, so its tag changes with the base's.
  OLLAMA_IMAGE: `promtior/ollama-offline:${contentTag('ollama', pythonImage)}`,
} as const;
