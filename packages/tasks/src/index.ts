// The schema library task options are written with, so a repo's own task files need no zod of their own.
export { z } from 'zod';
export { dockerBuild } from './builtins/docker-build.ts';
export { dockerClean } from './builtins/docker-clean.ts';
export { dockerDev } from './builtins/docker-dev.ts';
export { dockerOfflineImages } from './builtins/docker-offline-images.ts';
export { dockerPush } from './builtins/docker-push.ts';
export { dockerRun } from './builtins/docker-run.ts';
export { doctor } from './builtins/doctor.ts';
export { envCheck } from './builtins/env-check.ts';
export { verifySignature } from './builtins/verify-signature.ts';
export { main } from './cli/main.ts';
export { runIfMain } from './cli/standalone.ts';
export { configSchema, defineConfig, type RepoConfig } from './config/schema.ts';
export { ErrorCode, ExitCode, TaskError } from './errors.ts';
export type {
  ComposeFlavor,
  DaemonAnswer,
  DockerClient,
  DockerFacts,
  FactName,
  Facts,
  GitFacts,
  ImageFacts,
  PullAnswer,
  RegistryFacts,
  UserFacts,
} from './facts/facts.ts';
export { fromOutput, type Output, type OutputArg, output } from './model/data-flow.ts';
export {
  type ActionStep,
  type Arg,
  action,
  type CallStep,
  type CmdOutcome,
  type CmdStep,
  type CommandResult,
  type CommandSpec,
  call,
  cmd,
  type ParallelStep,
  parallel,
  type RunContext,
  type Step,
} from './model/steps.ts';
export { type Dep, defineTask, type Globs, type PlanContext, type Task, type TaskDefinition } from './model/task.ts';
export { type CheckStep, check, type FingerprintSpec, type FingerprintStore } from './model/up-to-date.ts';
