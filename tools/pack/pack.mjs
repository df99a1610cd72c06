#!/usr/bin/env node
// Packs one workspace package together with the tarballs of all its @hypertrack dependencies
// (transitively), which are not on the public npm registry, and prints the one `npm install` line
// that installs them together anywhere: npm then finds every @hypertrack dependency among the
// tarballs, and only third-party dependencies come from the registry.
//
//   node tools/pack/pack.mjs @hypertrack/metrics --out ../tarballs [--build]
//
// The packages must be built (dist/); --build runs `nx run-many -t build` for exactly those first.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const root = resolve(import.meta.dirname, '../..');
const SCOPE = '@hypertrack/';

/** Every workspace package (packages/*, apps/*): name -> { dir, manifest }. */
export function workspacePackages() {
  const found = new Map();
  for (const parent of ['packages', 'apps']) {
    for (const entry of readdirSync(join(root, parent))) {
      const dir = join(root, parent, entry);
      if (!existsSync(join(dir, 'package.json'))) continue;
      const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
      found.set(manifest.name, { dir, manifest });
    }
  }
  return found;
}

/** Whether `version` satisfies `range`: an exact version or a caret range, the forms this workspace uses. */
export function satisfies(version, range) {
  const parse = (v) => {
    const m = /^(\d+)\.(\d+)\.(\d+)$/.exec(v);
    if (!m) throw new Error(`cannot read version "${v}" (expected x.y.z)`);
    return m.slice(1).map(Number);
  };
  if (!range.startsWith('^')) return range === version;
  const [a, b, c] = parse(range.slice(1));
  const [x, y, z] = parse(version);
  const atLeast = x !== a ? x > a : y !== b ? y > b : z >= c;
  // ^1.2.3 allows 1.x.x; ^0.2.3 allows 0.2.x; ^0.0.3 allows only 0.0.3.
  const sameMajor = a > 0 ? x === a : b > 0 ? x === 0 && y === b : x === 0 && y === 0 && z === c;
  return atLeast && sameMajor;
}

/** The @hypertrack runtime dependencies of `name`, transitively, dependencies before dependents; `name` last. */
export function dependencyClosure(name, packages = workspacePackages()) {
  const order = [];
  const visit = (current, path) => {
    if (order.includes(current)) return;
    if (path.includes(current)) throw new Error(`dependency cycle: ${[...path, current].join(' -> ')}`);
    const pkg = packages.get(current);
    if (!pkg) throw new Error(`${current} is not a package of this workspace (they are: ${[...packages.keys()].sort().join(', ')})`);
    const deps = { ...pkg.manifest.dependencies, ...pkg.manifest.optionalDependencies, ...pkg.manifest.peerDependencies };
    for (const [dep, range] of Object.entries(deps).sort()) {
      if (!dep.startsWith(SCOPE)) continue;
      const target = packages.get(dep);
      if (!target) throw new Error(`${current} depends on ${dep}, which is not in this workspace`);
      // Otherwise npm would look for a matching version on the registry, where there is none.
      if (!satisfies(target.manifest.version, range)) throw new Error(`${current} wants ${dep}@${range}, but the workspace has ${target.manifest.version}`);
      visit(dep, [...path, current]);
    }
    order.push(current);
  };
  visit(name, []);
  return order;
}

/**
 * Packs `name` and its @hypertrack closure into `outDir` with `npm pack`; returns the tarball
 * paths (the asked package first) and the `npm install` line, with paths as seen from `cwd`.
 */
export function packWithDependencies(name, outDir, { cwd = process.cwd(), build = false } = {}) {
  const packages = workspacePackages();
  const closure = dependencyClosure(name, packages);
  if (build) execFileSync('npx', ['nx', 'run-many', '-t', 'build', '-p', ...closure], { cwd: root, stdio: 'inherit' });
  const unbuilt = closure.filter((n) => !existsSync(join(packages.get(n).dir, 'dist')));
  if (unbuilt.length > 0) throw new Error(`not built: ${unbuilt.join(', ')}; build them first (npx nx run-many -t build -p ${closure.join(' ')}) or pass --build`);
  const out = resolve(cwd, outDir);
  mkdirSync(out, { recursive: true });
  const tarballs = [name, ...closure.filter((n) => n !== name)].map((n) => {
    const result = JSON.parse(execFileSync('npm', ['pack', '--json', '--pack-destination', out], { cwd: packages.get(n).dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }));
    return join(out, result[0].filename);
  });
  const shown = (file) => {
    if (isAbsolute(outDir)) return file;
    const rel = relative(cwd, file);
    return rel.startsWith('..') ? rel : `./${rel}`;
  };
  return { closure, tarballs, installLine: `npm install ${tarballs.map(shown).join(' ')}` };
}

function main(argv) {
  const usage = 'usage: node tools/pack/pack.mjs <package name, e.g. @hypertrack/metrics> --out <folder> [--build]';
  const outAt = argv.indexOf('--out');
  const name = argv.find((a, i) => !a.startsWith('--') && i !== outAt + 1);
  const outDir = outAt >= 0 ? argv[outAt + 1] : undefined;
  const unknown = argv.filter((a, i) => a.startsWith('--') && a !== '--out' && a !== '--build' && i !== outAt + 1);
  if (!name || !outDir || unknown.length > 0) {
    process.stderr.write(`${unknown.length > 0 ? `unknown option ${unknown[0]}\n` : ''}${usage}\n`);
    return 2;
  }
  try {
    const { tarballs, installLine } = packWithDependencies(name.startsWith(SCOPE) || name.includes('/') ? name : SCOPE + name, outDir, { build: argv.includes('--build') });
    process.stdout.write(`packed ${tarballs.length} tarball(s) into ${resolve(outDir)}:\n${tarballs.map((t) => `  ${relative(resolve(outDir), t)}`).join('\n')}\n`);
    process.stdout.write('@hypertrack packages are not on the public npm registry: install these together (third-party dependencies come from the registry):\n');
    process.stdout.write(`${installLine}\n`);
    return 0;
  } catch (error) {
    process.stderr.write(`pack: ${error.message}\n`);
    return 1;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) process.exitCode = main(process.argv.slice(2));
