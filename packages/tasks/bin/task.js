#!/usr/bin/env node
// The `task` CLI. CommonJS in syntax that any Node since 8 parses (var, no `?.`, no top-level await), because its
// first job is the version check: on an older Node it must say what to do, or hand over to the Node that `./task`
// installed into .tools/, instead of crashing on our TypeScript with ERR_UNKNOWN_FILE_EXTENSION (issue 9, item 11).
// Callers put `--` right after this script so that Node does not take our --env-file for its own option (Node reads
// --env-file anywhere in its argv before a `--`, and would load the file into process.env).
'use strict';
// biome-ignore lint/style/useNodejsImportProtocol: `node:` needs Node 14.18, and this must run on any Node.
var fs = require('fs');
// biome-ignore lint/style/useNodejsImportProtocol: as above.
var path = require('path');

// Type stripping is on by default from Node 22.18 and 23.6: our sources and a repo's tasks/*.ts need it.
var NEEDED = '22.18';
var argv = process.argv.slice(2);
var node;
var from;

function supported(version) {
  var v = version.split('.').map(Number);
  return v[0] > 23 || (v[0] === 23 && v[1] >= 6) || (v[0] === 22 && v[1] >= 18);
}

// The Node that ./task installs: .tools/ at the root of the repo this copy of the CLI lives in. Only a binary of
// ours (or root's) that nobody else can change; 18 is 0o022, written so that old Nodes parse it.
function toolsNode() {
  var dir = fs.realpathSync(__dirname);
  var candidate;
  var st;
  var up;
  for (up = path.dirname(dir); up !== dir; dir = up, up = path.dirname(dir)) {
    candidate = path.join(dir, '.tools', 'node_modules', '.bin', 'node');
    if (fs.existsSync(candidate)) {
      st = fs.statSync(candidate);
      return (!process.getuid || st.uid === process.getuid() || st.uid === 0) && (st.mode & 18) === 0 ? candidate : undefined;
    }
  }
  return undefined;
}

function explain() {
  var lines = [`error: this is Node ${process.version} (${process.execPath}); promtior-tasks needs Node ${NEEDED} or newer, which runs TypeScript as is.`];
  var wrapper = path.join(__dirname, '..', '..', '..', 'task');
  if (fs.existsSync(wrapper) && fs.existsSync(path.join(__dirname, '..', 'src'))) {
    // ./task trusts the Node it checked last; this one is not it any more, so make it check again.
    try {
      fs.unlinkSync(path.join(wrapper, '..', 'node_modules', '.task-ready'));
    } catch (_) {
      // Not there: ./task checks anyway.
    }
    lines.push('  In this repo, run ./task instead: it installs Node 24 into .tools/ once and uses it (your own node stays as it is).');
  }
  lines.push('  Or install Node 24 (https://nodejs.org, or `nvm install 24`) and run the same command again.');
  process.stderr.write(`${lines.join('\n')}\n`);
  process.exitCode = 1;
}

// Runs the same command with the .tools/ Node, passing signals on (a terminal's Ctrl-C reaches both already). Node
// cannot exec; this is the one spawn outside exec/run-command.ts, which this old Node could not load.
function handOver(binary) {
  // biome-ignore lint/style/useNodejsImportProtocol: as above.
  var spawn = require('child_process').spawn;
  var env = Object.assign({}, process.env, { PROMTIOR_TASKS_HANDED_OVER: process.version });
  var child = spawn(binary, [__filename].concat(argv), { stdio: 'inherit', env: env });
  ['SIGINT', 'SIGTERM', 'SIGHUP'].forEach((signal) => {
    process.on(signal, () => {
      if (signal !== 'SIGINT') child.kill(signal);
    });
  });
  child.on('error', (error) => {
    process.stderr.write(`error: cannot start ${binary}: ${error.message}\n`);
    explain();
  });
  child.on('exit', (code, signal) => {
    if (signal) {
      process.removeAllListeners(signal);
      process.kill(process.pid, signal);
    } else process.exitCode = code;
  });
}

if (!supported(process.versions.node)) {
  node = process.env.PROMTIOR_TASKS_HANDED_OVER ? undefined : toolsNode();
  if (node) handOver(node);
  else explain();
} else {
  if (argv[0] === '--') argv = argv.slice(1);
  // In the workspace the sources run as they are; an installed copy ships only the built dist/.
  from = fs.existsSync(path.join(__dirname, '..', 'src', 'cli', 'main.ts')) ? 'src' : 'dist';
  require(`../${from}/cli/start.cjs`).start(argv, from === 'src');
}
