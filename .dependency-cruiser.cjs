/**
 * The layering rules `./task test` checks (dependency-cruiser). Shared code (the model, planning and running,
 * processes, output, facts, docker and workflow helpers, text) never reaches up into the task files or the CLI;
 * no package imports @promtior/tasks' sources; no import cycles anywhere.
 */
const TASKS = '^packages/tasks/src/';

module.exports = {
  forbidden: [
    {
      name: 'no-cycles',
      severity: 'error',
      comment: 'An import cycle makes load order matter and layers meaningless (a cycle of type-only imports is erased at run time).',
      from: {},
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
    {
      name: 'shared-code-stays-below-tasks-and-cli',
      severity: 'error',
      comment:
        'model, run, exec, output, facts, fingerprint, docker, workflow, text (and the task helpers backup, migrate, verify, config, registry, release, signing, init, sbom) never import builtins/ or cli/.',
      from: {
        path: `${TASKS}(model|run|exec|output|facts|fingerprint|docker|workflow|text|backup|migrate|verify|config|registry|release|signing|init|sbom)/`,
        pathNot: '\\.test\\.ts$',
      },
      to: { path: `${TASKS}(builtins|cli)/` },
    },
    {
      name: 'libraries-do-not-import-the-task-runner',
      severity: 'error',
      comment: '@promtior/env, @promtior/audit and @promtior/docker-assets are used by the tasks, not the other way round.',
      from: { path: '^packages/(env|audit|docker-assets)/' },
      to: { path: '^packages/tasks/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(node_modules|dist|\\.turbo|\\.tools)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.base.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js', '.mjs'], conditionNames: ['import', 'node', 'default'] },
  },
};
