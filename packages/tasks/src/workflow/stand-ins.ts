/**
 * What each image role is, and what its local stand-in (built by `docker-offline-images` when the registry image
 * cannot be had) does not do: the text of the warnings docker-build, docker-run, docker-dev and doctor print, and
 * the short names the image labels use.
 */
import type { OFFLINE_IMAGES } from '@promtior/docker-assets';

type Key = keyof typeof OFFLINE_IMAGES;

export interface StandIn {
  /** How people call the role. */
  role: string;
  /** Its short name in labels and `--only` (docker-offline-images). */
  name: 'python' | 'uv' | 'ollama';
  /** What the stand-in does not do, in one sentence. */
  limits: string;
}

export const STAND_INS: Record<Key, StandIn> = {
  PYTHON_IMAGE: {
    role: 'Python base',
    name: 'python',
    limits: "it is Debian bookworm's python3 (3.11, not 3.12) made with mmdebstrap or debootstrap: the app runs on another interpreter than production's",
  },
  UV_IMAGE: {
    role: 'uv',
    name: 'uv',
    limits: 'it is a shell script that runs only `uv venv` and `uv pip install -r pyproject.toml` through venv and pip: no uv resolver, lock file or cache',
  },
  OLLAMA_IMAGE: {
    role: 'Ollama',
    name: 'ollama',
    limits: 'it runs no model: its answers and embeddings are canned, so it checks the plumbing, not the language',
  },
};

/** Label on every image docker-build makes: the roles built on a stand-in, comma-separated, or `none`. */
export const STAND_INS_LABEL = 'com.promtior.tasks.stand-ins';

/** Label naming the image a role's stage was built from (`com.promtior.tasks.base.python=python:3.12-slim`). */
export function baseLabel(key: Key): string {
  return `com.promtior.tasks.base.${STAND_INS[key].name}`;
}
