/**
 * Which measured figures each docs block shows: the one place that says so. A block `NAME` in a markdown file
 * (`<!-- NAME-figures:start ... -->` ... `<!-- NAME-figures:end -->`) is rewritten by `pnpm task generate` from
 * docs/bench-results.json; ids are listed in the order the docs read best, not the results file's.
 */
import { MIGRATE_SHAPES } from '../bench/migrate-shapes.ts';

/** A table cell: fixed text, or a recorded figure's value with its unit. */
export type Cell = string | { figure: string; digits: number };

export interface FigureBlock {
  /** The `pnpm bench --suite` that records every figure of the block (each id starts with `<suite>.`). */
  suite: string;
  /** A bullet per figure (its recorded text), in this order; or a table. */
  figures: readonly string[] | { header: readonly string[]; rows: readonly (readonly Cell[])[] };
  /** What the reader should know about how they were measured, after the date. */
  note?: string;
}

export const FIGURE_BLOCKS: Readonly<Record<string, FigureBlock>> = {
  startup: {
    suite: 'startup',
    figures: ['node', 'bin', 'wrapper', 'pnpm-list', 'backupIds', 'stages', 'tab-names', 'tab-flags', 'tab-stages', 'make', 'just'].map(
      (name) => `startup.${name}`,
    ),
    note: "`make` and `just` (the `rust-just` package's binary) run the same three recipes",
  },
  consumer: {
    suite: 'consumer',
    figures: ['add', 'add-cold-store', 'install-frozen', 'update', 'list-after-update', 'publish'].map((name) => `consumer.${name}`),
    note: "Verdaccio on this machine, pnpm 12, the machine's pnpm store unless said otherwise",
  },
  graph: {
    suite: 'graph',
    figures: ['check-10k', 'docker-no-change', 'j1', 'j2', 'j4'].map((name) => `graph.${name}`),
  },
  image: {
    suite: 'image',
    figures: [
      'size-production',
      'size-runtime-minimal',
      'size-saved',
      'boot-app',
      'boot-app-minimal',
      'boot-ollama',
      'compose-started',
      'ready-after-start',
      'ready-stack',
      'ready-docker-run',
    ].map((name) => `image.${name}`),
    note: 'offline stand-ins, on this shared two-core machine',
  },
  docker: {
    suite: 'docker',
    figures: ['dev-answering', 'dev-before-compose', 'dev-reload', 'dev-teardown', 'health-verdict'].map((name) => `docker.${name}`),
    note: 'offline stand-ins, Compose v1, on this shared two-core machine',
  },
  migrate: {
    suite: 'migrate',
    figures: {
      header: ['Shape', 'What was carried', 'migrate --yes (with its proof)', 'task docker-run to healthy'],
      rows: MIGRATE_SHAPES.map(({ shape, carried }) => [
        shape,
        carried,
        { figure: `migrate.${shape}.migrate`, digits: 1 },
        { figure: `migrate.${shape}.healthy`, digits: 1 },
      ]),
    },
    note: 'offline stand-in images, the build cache warm, on this shared two-core machine',
  },
  backup: {
    suite: 'backup',
    figures: ['volume-100mb.speed', 'volume-100mb.rss', 'volume-1000mb.speed', 'volume-1000mb.rss'].map((name) => `backup.${name}`),
  },
  registry: {
    suite: 'registry',
    figures: ['pull-python', 'pull-ollama', 'cache-cold', 'cache-warm', 'give-up'].map((name) => `registry.${name}`),
    note: 'fresh second engines pulling through a local registry mirror',
  },
};
