/**
 * The per-repo configuration (`tasks.config.ts` at the repo's root, `export default defineConfig({...})`). Every key
 * is optional: an empty config means the defaults, which follow the seed. The docs' reference is generated from here.
 */
import { z } from 'zod';

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
});

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
});

export type RepoConfig = z.infer<typeof configSchema>;

/** Identity helper for `tasks.config.ts`: gives the editor the types. */
export function defineConfig(config: RepoConfig): RepoConfig {
  return config;
}
