export { type AuditOptions, type AuditReport, defaultFiles, INPUT_RULE, loadInput, type RunOptions, runAudit } from './audit.ts';
export { COMPOSE_BASE, COMPOSE_OVERRIDE, DOCKERFILE_NAME, dockerfilesIn, LOOKED_FOR } from './discover.ts';
export { AuditError, AuditInputError } from './errors.ts';
export { formatJson } from './format/json.ts';
export { formatSarif } from './format/sarif.ts';
export { formatTable } from './format/table.ts';
export { KNOWN_IMAGES, type KnownImage, knownImage } from './known-images.ts';
export { type AuditInput, CATEGORIES, type Category, type Finding, type InputProblem, type Rule, SEVERITIES, type Severity } from './model.ts';
export { type Compose, loadCompose, type Service } from './parse/compose.ts';
export { DOCKERFILE_MAX_BYTES, type Dockerfile, type DockerfileProblem, type Instruction, parseDockerfile, type Stage } from './parse/dockerfile.ts';
export { type IgnoreFile, isIgnored, parseDockerignore } from './parse/dockerignore.ts';
export { ALL_RULES } from './rules/all.ts';
export { CREDENTIAL_VALUE, isPlaceholder, isReference, isSecretName, isSwitch } from './rules/helpers.ts';
export { COST, type Score, score } from './score.ts';
export { type BuildRef, buildOf, type Unit, units } from './services.ts';
export {
  describeYamlProblems,
  type Position,
  positionOf,
  readYaml,
  YAML_LIMITS,
  type YamlLimits,
  type YamlProblem,
  type YamlRead,
} from './yaml/read-yaml.ts';
