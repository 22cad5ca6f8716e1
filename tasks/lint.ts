/** Lint: biome (format and lint rules) and the layering rules, skipped when no file they read changed. */
import path from 'node:path';
import { cmd, defineTask, runIfMain } from '@promtior/tasks';
import { z } from 'zod';

const root = path.resolve(import.meta.dirname, '..');
const DEPCRUISE = path.join(root, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruiser.mjs');

/**
 * What biome and dependency-cruiser read: every source and config file (node_modules and .git are left out). The
 * packages' built dist folders are neither (biome.json ignores them): check-packages writes them beside lint, which
 * would then rerun for them.
 */
export const LINT_SOURCES = ['**/*.{ts,mts,cjs,mjs,js,json,jsonc}', 'biome.json', '.dependency-cruiser.cjs', '!docs/bench-results.json', '!packages/*/dist/**'];

export const lint = defineTask({
  name: 'lint',
  group: 'repo',
  description: 'Check formatting, lint rules (biome) and the layering rules (dependency-cruiser); --watch reruns on save',
  options: z.object({}),
  sources: LINT_SOURCES,
  plan: () => [
    cmd([path.join(root, 'node_modules', '.bin', 'biome'), 'check', '.'], { cwd: root }),
    // The layering rules (.dependency-cruiser.cjs): no cycles; shared code never imports builtins/ or cli/.
    cmd([process.execPath, DEPCRUISE, '--config', '.dependency-cruiser.cjs', '--output-type', 'err', 'packages'], { cwd: root }),
  ],
});

await runIfMain(import.meta, lint);
