/**
 * The variables of any Python service the Docker assets build and run, the assistant or another team's: its port,
 * and how the image is built and started (build args of the shipped Dockerfile). The defaults are the assistant's,
 * so a repo that sets none of them builds exactly as before; `task migrate` sets them from a repo's old set-up.
 */
import { z } from 'zod';
import { assistantSpec } from './assistant-spec.ts';
import { decimalInteger } from './numbers.ts';
import { defineSpec } from './spec.ts';

const words = (word: RegExp) => new RegExp(`^${word.source}( ${word.source})*$`);
const FILE = /[\w][\w./-]*/;

export const DEPS_STYLES = ['pyproject', 'requirements', 'uv-lock', 'none'] as const;

export const serviceSpec = defineSpec({
  APP_PORT: assistantSpec.APP_PORT,
  APP_HOST_PORT: {
    description: 'Port published on the host for the app (compose variable); APP_PORT when not set.',
    schema: decimalInteger(1, 65535),
    expected: 'an integer from 1 to 65535',
  },
  APP_MODULE: {
    description: 'Python module the app runs as (`python3 -m APP_MODULE`) when APP_COMMAND is not set (build arg).',
    schema: z.string().regex(/^[A-Za-z_]\w*(\.[A-Za-z_]\w*)*$/),
    expected: 'a dotted module name such as app.main',
    default: 'app.main',
    buildArg: true,
  },
  APP_COMMAND: {
    description: 'Command line that starts the app instead of `python3 -m APP_MODULE`, run by sh in the container (build arg).',
    schema: z.string().min(1),
    expected: 'a command line such as python3 server.py --port 5000',
    buildArg: true,
  },
  APP_SOURCE: {
    description: 'Folder of the code copied into /app: src, or . for the whole build context after .dockerignore (build arg).',
    schema: z
      .string()
      .regex(/^(\.|[\w][\w.-]*(\/[\w][\w.-]*)*)$/)
      .refine((v) => !v.split('/').includes('..'), 'must stay inside the project'),
    expected: 'a folder inside the project such as src, or .',
    default: 'src',
    buildArg: true,
  },
  APP_PYTHONPATH: {
    description: 'PYTHONPATH of the app in the image (build arg).',
    schema: z.string().regex(/^\/[^:\s]*(:\/[^:\s]*)*$/),
    expected: 'absolute paths separated by colons, such as /app/src',
    default: '/app/src',
    buildArg: true,
  },
  APP_DEPS: {
    description: 'How the dependencies are installed: pyproject ([project.dependencies]), requirements (APP_REQUIREMENTS), uv-lock or none (build arg).',
    schema: z.enum(DEPS_STYLES),
    expected: `one of ${DEPS_STYLES.join(', ')}`,
    default: 'pyproject',
    buildArg: true,
  },
  APP_REQUIREMENTS: {
    description: 'Requirement files installed when APP_DEPS=requirements, space-separated (build arg).',
    schema: z.string().regex(words(FILE)),
    expected: 'file names separated by spaces, such as requirements.txt',
    default: 'requirements.txt',
    buildArg: true,
  },
  APT_PACKAGES: {
    description: 'Debian packages the app needs at run time, space-separated; installed only when the base image lacks them (build arg).',
    schema: z.string().regex(words(/[a-z0-9][a-z0-9+.-]+/)),
    expected: 'Debian package names separated by spaces, such as tzdata libpq5',
    buildArg: true,
  },
  APP_HEALTH_PATH: {
    description: "Path of the app's health endpoint: the image's health check and docker-run's readiness wait (build arg).",
    schema: z.string().regex(/^\/[^\s'"\\]*$/),
    expected: 'a path such as /health',
    default: '/health',
    buildArg: true,
  },
  DEV_COMMAND: {
    description: 'Command line of the development image instead of `python3 -m DEV_MODULE` (build arg).',
    schema: z.string().min(1),
    expected: 'a command line such as python3 app.py',
    buildArg: true,
  },
  APP_DEV_EXTRA: {
    description: 'Optional-dependencies group of pyproject.toml the development image adds (build arg).',
    schema: z.string().regex(/^[A-Za-z0-9][\w.-]*$/),
    expected: 'an extra name such as dev',
    default: 'dev',
    buildArg: true,
  },
  APP_DEV_REQUIREMENTS: {
    description: 'Requirement files the development image adds when APP_DEPS=requirements, space-separated (build arg).',
    schema: z.string().regex(words(FILE)),
    expected: 'file names separated by spaces, such as requirements-dev.txt',
    buildArg: true,
  },
});
