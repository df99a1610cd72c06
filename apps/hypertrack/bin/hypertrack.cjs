#!/usr/bin/env node
// The `hypertrack` command. npm links it at install, before anything is built, so it must exist in
// a fresh clone: it runs the built CLI (dist/main.cjs) when there is one, and otherwise the
// TypeScript sources through tsx (the workspace's dev dependency), with the @hypertrack/source
// condition that resolves every workspace package to its src/. Same flags, same output, same exit
// code; the sources only start slower.
'use strict';
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const built = join(__dirname, '..', 'dist', 'main.cjs');
// `hypertrack slurm` writes batch scripts that run this same launcher on the nodes.
process.env.HYPERTRACK_LAUNCHER = __filename;
// HYPERTRACK_FROM_SOURCES=1 runs the sources even when a build exists (the tests of this launcher).
if (existsSync(built) && process.env.HYPERTRACK_FROM_SOURCES !== '1') {
  require(built);
} else {
  const { spawn } = require('node:child_process');
  const sources = join(__dirname, '..', 'src', 'main.ts');
  let tsx;
  try {
    tsx = require.resolve('tsx/cjs');
  } catch {
    process.stderr.write('hypertrack: error: the CLI is not built and tsx is not installed to run its sources; run: npm install && npm run build\n');
    process.exit(1);
  }
  // With -e, the arguments after "--" start at argv[1]: "hypertrack" stands where the script would.
  const child = spawn(process.execPath, ['--conditions=@hypertrack/source', '--require', tsx, '-e', `require(${JSON.stringify(sources)})`, '--', 'hypertrack', ...process.argv.slice(2)], { stdio: 'inherit' });
  // Ctrl-C reaches the child itself through the terminal's process group (passing it on would make
  // a second one, which stops a training run at once): this process only waits. SIGTERM, sent to
  // this process alone, is passed on.
  process.on('SIGINT', () => {});
  process.on('SIGTERM', () => child.kill('SIGTERM'));
  child.on('exit', (code, signal) => {
    if (signal !== null) process.kill(process.pid, signal);
    else process.exit(code ?? 1);
  });
}
