/** The built-in task modules, relative to src/builtins. Listed here so nothing is imported to find them. */
export const BUILTIN_TASK_FILES = [
  'env-check.ts',
  'doctor.ts',
  'docker-build.ts',
  'docker-run.ts',
  'docker-dev.ts',
  'docker-clean.ts',
  'docker-offline-images.ts',
  'docker-sbom.ts',
  'docker-scan.ts',
  'backup.ts',
  'restore.ts',
  'migrate.ts',
  'audit.ts',
  'verify.ts',
  'completion.ts',
] as const;
