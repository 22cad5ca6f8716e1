/**
 * The per-repo configuration (`tasks.config.ts` at the repo's root, `export default defineConfig({...})`). Every key
 * is optional: an empty config means the defaults, which follow the seed. The docs' reference is generated from here.
 */
import { z } from 'zod';
import { REGISTRY_REF, REGISTRY_RULE } from '../workflow/ref-options.ts';

const envVar = z.strictObject({
  description: z.string().min(1).describe('what the variable is for'),
  default: z.string().optional().describe('value used when it is not set'),
  required: z.boolean().optional().describe('env-check fails when it is missing'),
  secret: z.boolean().optional().describe('never printed; masked in all output'),
  pattern: z
    .string()
    .superRefine((p, ctx) => {
      try {
        new RegExp(p);
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: `not a valid regular expression: ${(error as Error).message}` });
      }
    })
    .optional()
    .describe('a regular expression the value must match'),
  values: z
    .array(z.string())
    .min(1, 'an empty list would reject every value: list the allowed values, or leave `values` out')
    .optional()
    .describe('the allowed values'),
  buildArg: z.boolean().optional().describe('also passed to docker build as --build-arg'),
});

/** npm's package names: lower case, optionally scoped. */
const PACKAGE_NAME = /^(@[a-z0-9][a-z0-9._~-]*\/)?[a-z0-9][a-z0-9._~-]*$/;
/** Compose's service names. */
export const SERVICE_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;

const service = z
  .strictObject({
    health: z
      .string()
      .regex(/^(\/|https?:\/\/)/, 'a path such as /api/tags (with `port`), or an http:// URL')
      .optional()
      .describe('what answers 2xx once the service is ready: a path on `port` of 127.0.0.1, or a full http:// URL'),
    port: z.number().int().min(1).max(65535).optional().describe('the host port the service is published on (for a health path)'),
  })
  .superRefine((s, ctx) => {
    if (s.health?.startsWith('/') && s.port === undefined) {
      ctx.addIssue({ code: 'custom', path: ['health'], message: `a health path needs the service's host port: add \`port\`, or give a full http:// URL` });
    }
  });

/** The variable sets a repo can start from (see specFor): the assistant's, or none besides the service's own. */
export const PRESETS = ['assistant', 'none'] as const;

export const configSchema = z.strictObject({
  project: z.string().min(1).optional().describe('folder of the Docker service (build context, compose project directory, .env), relative to the repo'),
  image: z.string().min(1).optional().describe('image name:tag that docker-build, docker-run and migrate --build use (default promtior-assistant:latest)'),
  devImage: z.string().min(1).optional().describe('image name:tag of the development build (default promtior-assistant:dev)'),
  dockerfile: z.string().min(1).optional().describe("Dockerfile path, relative to the project (default: the project's own, else the assets package's)"),
  composeFiles: z
    .strictObject({
      full: z.array(z.string().min(1)).optional().describe('compose files of the full stack, in order (default docker-compose.full.yml)'),
      dev: z.array(z.string().min(1)).optional().describe('compose files of the development stack, in order (default full + docker-compose.dev.yml)'),
    })
    .optional()
    .describe('compose files per stack'),
  healthPath: z
    .string()
    .startsWith('/')
    .optional()
    .describe('path of the app liveness endpoint (default /health); docker-run polls it when the app has no readyPath'),
  readyPath: z
    .string()
    .startsWith('/')
    .optional()
    .describe('path of the app readiness endpoint that docker-run polls (default /ready; an app that answers it with 404 is polled on healthPath)'),
  volumes: z.array(z.string().min(1)).optional().describe('named volumes (as in the compose file) that backup --volumes saves (default: all of the project)'),
  env: z
    .record(z.string().regex(/^[A-Z_][A-Z0-9_]*$/, 'an UPPER_CASE variable name'), envVar)
    .optional()
    .describe('variables of this repo, validated, documented and masked like the shared ones'),
  disable: z.array(z.string().min(1)).optional().describe('built-in tasks turned off in this repo'),
  registry: z
    .string()
    .regex(REGISTRY_REF, REGISTRY_RULE)
    .optional()
    .describe('where docker-push pushes images: a registry host and namespace, such as ghcr.io/team (docker-push --registry overrides it)'),
  signing: z
    .strictObject({
      key: z.string().min(1).optional().describe('GPG key (fingerprint, id or email) docker-push --sign signs with; its secret key must be in the gpg keyring'),
      publicKey: z
        .string()
        .min(1)
        .optional()
        .describe('armored public key file, relative to the repo, that verify-signature and docker-run --verify-signature accept'),
      sigstore: z
        .string()
        .min(1)
        .optional()
        .describe('where signatures are kept: a folder relative to the repo (default .releases/signatures), or an https:// URL to verify from'),
    })
    .optional()
    .describe('image signatures (simple signing with skopeo and GPG)'),
  // Team presets and the stack's services (issue 16).
  extends: z
    .array(z.string().regex(PACKAGE_NAME, 'an npm package name such as @team/tasks'))
    .optional()
    .describe('presets (npm packages) whose tasks and defaults this repo takes, in order: a later one wins over an earlier, this file over all'),
  services: z
    .record(z.string().regex(SERVICE_NAME, 'a compose service name (letters, digits, ".", "_", "-")'), service)
    .optional()
    .describe('services of the stack besides the app, and how to tell they are ready (docker-run waits on each; logs, shell and restart complete their names)'),
  // The repo's own schema (task migrate writes these three from the old set-up).
  preset: z
    .enum(PRESETS)
    .optional()
    .describe("the chat assistant's variables (ADMIN_REINGEST_KEY, LLM_PROVIDER...) are validated with 'assistant' (the default), not with 'none'"),
  defaults: z
    .record(z.string().regex(/^[A-Z_][A-Z0-9_]*$/, 'an UPPER_CASE variable name'), z.string())
    .optional()
    .describe('default values for variables of the schema (APP_PORT, APP_COMMAND...): used when .env and the shell leave them unset'),
});

export type RepoConfig = z.infer<typeof configSchema>;

/** Identity helper for `tasks.config.ts`: gives the editor the types. */
export function defineConfig(config: RepoConfig): RepoConfig {
  return config;
}
