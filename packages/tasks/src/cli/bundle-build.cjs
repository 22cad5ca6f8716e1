'use strict';
/**
 * Makes the CLI bundle that cli/bundle.cjs uses: `node bundle-build.cjs PACKAGE_DIR [BUNDLE_ROOT]`, run by
 * `./task test` (tasks/test.ts) as its first step; it does nothing while the bundle is fresh. rolldown (the workspace's, as for vendor/zod.mjs) bundles the CLI and
 * every file reached from outside the library as entries; node builtins and zod (which cli/start.cjs maps to its
 * one-file copy) stay imports. The record lists every input file and folder with its size and mtime, as stat'ed
 * before the build (a file changed during the build then makes the bundle stale at once, never wrongly fresh).
 */
const fs = require('node:fs');
const path = require('node:path');
const { isBuiltin } = require('node:module');
const { pathToFileURL } = require('node:url');
const { FORMAT, bundleRoot, freshBundle } = require('./bundle.cjs');

/** The files of a package that `exports` names (TypeScript sources only). @param {string} dir */
function exported(dir) {
  const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
  return Object.values(pkg.exports ?? {})
    .filter((t) => typeof t === 'string' && t.endsWith('.ts'))
    .map((t) => path.join(dir, t));
}

/** @param {string} p @returns {[string, number, number]} */
function stamp(p) {
  const st = fs.statSync(p);
  return [p, st.size, st.mtimeMs];
}

/** Stamps of every file and folder under `dir`, node_modules left out. @param {string} dir @param {Map<string, [string, number, number]>} into */
function walk(dir, into) {
  into.set(dir, stamp(dir));
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    if (e.name === 'node_modules') continue;
    const p = path.join(dir, e.name);
    if (e.isDirectory()) walk(p, into);
    else if (e.isFile()) into.set(p, stamp(p));
  }
}

async function build(/** @type {string} */ packageDir, /** @type {string} */ root) {
  const packages = path.dirname(packageDir);
  const builtins = path.join(packageDir, 'src', 'builtins');
  const sources = [
    path.join(packageDir, 'src', 'cli', 'main.ts'),
    ...fs
      .readdirSync(builtins)
      .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
      .map((f) => path.join(builtins, f)),
    ...fs.readdirSync(packages).flatMap((p) => (fs.existsSync(path.join(packages, p, 'package.json')) ? exported(path.join(packages, p)) : [])),
  ];
  /** @type {Record<string, string>} */
  const input = {};
  sources.forEach((s, i) => {
    input[`e${i}`] = s;
  });
  // The workspace's rolldown: this file runs only from the workspace's sources.
  const { rolldown } = await import(require.resolve('rolldown', { paths: [path.resolve(__dirname, '..', '..', '..', '..')] }));
  const bundle = await rolldown({
    input,
    cwd: packageDir,
    platform: 'node',
    logLevel: 'silent',
    external: (/** @type {string} */ id) => id === 'zod' || isBuiltin(id),
    plugins: [
      {
        name: 'source-import-meta',
        // Each module keeps its own file's URL: paths computed from it (assets, completion scripts) stay right.
        transform(/** @type {string} */ code, /** @type {string} */ id) {
          if (!code.includes('import.meta') || !path.isAbsolute(id)) return null;
          return code.replaceAll('import.meta.url', JSON.stringify(pathToFileURL(id).href)).replaceAll('import.meta.dirname', JSON.stringify(path.dirname(id)));
        },
      },
    ],
  });
  const dirName = `b-${Date.now()}-${process.pid}`;
  const dir = path.join(root, dirName);
  const { output } = await bundle.write({ dir, format: 'esm', entryFileNames: '[name].mjs', chunkFileNames: 'c-[hash].mjs' });
  await bundle.close();
  const files = new Set();
  for (const o of output) if (o.type === 'chunk') for (const id of o.moduleIds) if (path.isAbsolute(id) && fs.existsSync(id)) files.add(id);
  for (const s of sources) files.add(s);
  for (const f of [...files]) files.add(path.dirname(f));
  for (const p of fs.readdirSync(packages)) if (fs.existsSync(path.join(packages, p, 'package.json'))) files.add(path.join(packages, p, 'package.json'));
  files.add(packages);
  // Installed dependencies are bundled from their version's folder: an install that changes them changes these.
  for (const f of ['pnpm-lock.yaml', path.join('node_modules', '.modules.yaml')]) {
    const p = path.join(path.dirname(packages), f);
    if (fs.existsSync(p)) files.add(p);
  }
  // How the bundle is made is an input too.
  files.add(__filename);
  files.add(path.join(__dirname, 'bundle.cjs'));
  return { dirName, entries: Object.fromEntries(sources.map((s, i) => [s, `e${i}.mjs`])), files: [...files].sort() };
}

async function main() {
  const packageDir = process.argv[2] && path.resolve(process.argv[2]);
  if (!packageDir) {
    process.stderr.write('usage: node bundle-build.cjs PACKAGE_DIR [BUNDLE_ROOT]\n');
    process.exitCode = 2;
    return;
  }
  const root = process.argv[3] ?? bundleRoot(packageDir);
  if (freshBundle(root)) {
    process.stdout.write(`CLI bundle: up to date (${root})\n`);
    return;
  }
  const started = Date.now();
  fs.mkdirSync(root, { recursive: true });
  // The workspace's files are stamped before the build: an edit during it makes the record stale, never a stale
  // bundle fresh. Installed dependencies (node_modules) are stamped after it.
  const before = new Map();
  walk(path.dirname(packageDir), before);
  const made = await build(packageDir, root);
  const stamps = made.files.map((f) => before.get(f) ?? stamp(f));
  const current = { format: FORMAT, node: process.version, dir: made.dirName, entries: made.entries, stamps };
  // Written whole, then renamed: a CLI starting meanwhile reads the old record or the new, never half of one.
  const tmp = path.join(root, `current.json.${process.pid}`);
  fs.writeFileSync(tmp, JSON.stringify(current));
  fs.renameSync(tmp, path.join(root, 'current.json'));
  // Older bundles go after a day: a run still going (--watch, a long docker-run) may yet import a chunk of its own.
  for (const name of fs.readdirSync(root)) {
    const p = path.join(root, name);
    if (name.startsWith('b-') && name !== made.dirName && Date.now() - fs.statSync(p).mtimeMs > 86_400_000) fs.rmSync(p, { recursive: true, force: true });
  }
  process.stdout.write(`CLI bundle: made from ${stamps.length} files in ${Date.now() - started} ms (${path.join(root, made.dirName)})\n`);
}

main().catch((error) => {
  // The sources still run without it; the run that asked for it (./task test) fails, naming why.
  process.stderr.write(
    `error: cannot make the CLI bundle: ${error instanceof Error ? error.message : String(error)}. The CLI runs from its sources meanwhile; fix the cause (a source rolldown cannot read?) and run again.\n`,
  );
  process.exitCode = 1;
});
