/**
 * Benchmarks (`pnpm bench`): measured and reported, never asserted in tests. Ratios are taken in one run on the
 * same machine. Each suite lives in tasks/bench/<suite>.ts; figures they record go to docs/bench-results.json,
 * which the docs quote (never typed by hand).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { action, defineTask, runIfMain } from '@promtior/tasks';
import { z } from 'zod';
import { cliBundle } from './_cli-bundle.ts';
import { type Figure, root, type Suite } from './bench/_util.ts';
import { auditSuite } from './bench/audit.ts';
import { backupSuite } from './bench/backup.ts';
import { consumerSuite } from './bench/consumer.ts';
import { dockerSuite } from './bench/docker.ts';
import { envSuite } from './bench/env.ts';
import { graphSuite } from './bench/graph.ts';
import { imageSuite } from './bench/image.ts';
import { migrateSuite } from './bench/migrate.ts';
import { registrySuite } from './bench/registry.ts';
import { startupSuite } from './bench/startup.ts';

/** In the order `--suite all` runs them. */
const SUITES = {
  startup: startupSuite,
  audit: auditSuite,
  env: envSuite,
  docker: dockerSuite,
  image: imageSuite,
  backup: backupSuite,
  graph: graphSuite,
  registry: registrySuite,
  consumer: consumerSuite,
  migrate: migrateSuite,
} satisfies Record<string, Suite>;
type SuiteName = keyof typeof SUITES;

export const RESULTS_FILE = path.join(root, 'docs', 'bench-results.json');

export const bench = defineTask({
  name: 'bench',
  group: 'repo',
  description:
    'Benchmarks: CLI start-up against `node -e 0`; Docker readiness, image overhead, rebuilds; volume backup speed and memory; parallel graphs, up-to-date checks; registry pulls and the shared build cache; consumer install and upgrade; migrating the team-repos corpus',
  options: z.object({
    suite: z
      .enum(['all', ...(Object.keys(SUITES) as SuiteName[])])
      .default('all')
      .describe('which benchmarks to run'),
    runs: z.coerce.number().int().min(3).default(20).describe('start-up runs of each command'),
    only: z
      .string()
      .min(1)
      .optional()
      .describe('run only the parts of a suite whose figure ids start with this (graph: graph.j, graph.check-10k, graph.docker-no-change)'),
  }),
  plan: (opts) => [
    // The CLI the figures time is the one the tests run: from its fresh bundle.
    cliBundle(),
    action(
      'benchmarks',
      [
        `run the ${opts.suite} benchmark suite(s)${opts.only ? ` (only the parts recording ${opts.only}*)` : ''}, report the figures and merge them into ${path.relative(root, RESULTS_FILE)}`,
      ],
      async (rt) => {
        const figures: Figure[] = [];
        const names = opts.suite === 'all' ? (Object.keys(SUITES) as SuiteName[]) : [opts.suite];
        try {
          for (const name of names) {
            await SUITES[name]({
              rt,
              runs: opts.runs,
              record: (f) => {
                figures.push(f);
                rt.log(`${f.id}: ${f.text}`);
              },
              // A part is wanted when its ids start with --only, or --only names a sub-part of it.
              wants: (id) => opts.only === undefined || id.startsWith(opts.only) || opts.only.startsWith(id),
            });
          }
        } finally {
          if (figures.length > 0) writeResults(figures, new Date().toISOString());
        }
      },
    ),
  ],
});

/** Merges this run's figures into the results file, by id, stamped with when they were measured. */
function writeResults(figures: readonly Figure[], measuredAt: string): void {
  let old: Record<string, Figure & { measuredAt: string }> = {};
  try {
    old = JSON.parse(readFileSync(RESULTS_FILE, 'utf8')) as typeof old;
  } catch {
    // First run: no results yet.
  }
  for (const f of figures) old[f.id] = { ...f, measuredAt };
  const sorted = Object.fromEntries(Object.entries(old).sort(([a], [b]) => a.localeCompare(b)));
  writeFileSync(RESULTS_FILE, `${JSON.stringify(sorted, null, 2)}\n`);
}

await runIfMain(import.meta, bench);
