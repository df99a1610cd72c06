#!/usr/bin/env node
// Builds the native kernels (build/hypertrack_native.node) from csrc/ with the machine's C
// compiler; runs at `npm install` and in the package's build. It never fails the install: without a
// compiler, headers or a working result it writes build/build-info.json with the reason, and the
// tensor layer stays on WebAssembly and prints that reason.
//
// Environment: CC (the compiler; default cc, then gcc, then clang), HYPERTRACK_NATIVE_BLAS
// (auto | none | a library name such as openblas; default auto), HYPERTRACK_NATIVE_BUILD=skip,
// HYPERTRACK_NATIVE_OUT (the output folder; default build/ beside this script's package).
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const packageRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const csrc = join(packageRoot, 'csrc');
const out = resolve(process.env.HYPERTRACK_NATIVE_OUT ?? join(packageRoot, 'build'));
const ADDON = 'hypertrack_native.node';
const INFO = 'build-info.json';
const BLAS_CANDIDATES = ['openblas', 'blis', 'cblas', 'blas'];

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { encoding: 'utf8', ...options });
  return { ok: result.status === 0 && result.error === undefined, output: `${result.stdout ?? ''}${result.stderr ?? ''}`, error: result.error };
}

function writeAtomically(path, text) {
  const temporary = `${path}.tmp-${process.pid}`;
  writeFileSync(temporary, text);
  renameSync(temporary, path);
}

class Finished extends Error {
  constructor(info) {
    super('finished');
    this.info = info;
  }
}

/** Ends the build with this outcome (the caller's finally removes the work folder first). */
function finish(info) {
  throw new Finished(info);
}

function report(info) {
  mkdirSync(out, { recursive: true });
  writeAtomically(join(out, INFO), `${JSON.stringify({ ...info, node: process.version, builtAt: new Date().toISOString() }, null, 2)}\n`);
  const line = info.ok
    ? `@hypertrack/native: built (${info.variants.join(' + ')} kernels, ${info.avx512Products ? 'AVX-512 narrow products, ' : ''}${info.blas === null ? 'no BLAS: other dense products stay in WebAssembly' : `BLAS ${info.blas}`})`
    : `@hypertrack/native: not built, the tensor layer stays on WebAssembly: ${info.reason}`;
  console.log(line);
}

function findCompiler() {
  const candidates = process.env.CC ? [process.env.CC] : ['cc', 'gcc', 'clang'];
  for (const cc of candidates) {
    if (run(cc, ['--version']).ok) return cc;
  }
  return null;
}

function nodeApiHeaders() {
  try {
    const headers = createRequire(join(packageRoot, 'package.json'))('node-api-headers');
    if (existsSync(join(headers.include_dir, 'node_api.h'))) return headers.include_dir;
  } catch {
    // fall through to the headers installed beside node
  }
  const besideNode = resolve(dirname(process.execPath), '..', 'include', 'node');
  return existsSync(join(besideNode, 'node_api.h')) ? besideNode : null;
}

/** Compiles and links a tiny program; true when the flags work on this machine. */
function probe(cc, work, name, source, flags) {
  const file = join(work, `${name}.c`);
  writeFileSync(file, source);
  return run(cc, [file, '-o', join(work, name), ...flags]).ok;
}

const BLAS_PROBE = '#include <cblas.h>\nint main(void){float a=1,b=2,c=0;cblas_sgemm(CblasRowMajor,CblasNoTrans,CblasNoTrans,1,1,1,1.0f,&a,1,&b,1,0.0f,&c,1);return c==2.0f?0:1;}\n';

function findBlas(cc, work) {
  const wanted = process.env.HYPERTRACK_NATIVE_BLAS ?? 'auto';
  if (wanted === 'none') return null;
  const candidates = wanted === 'auto' ? BLAS_CANDIDATES : [wanted];
  for (const lib of candidates) {
    const exe = join(work, `blas-${lib}`);
    if (probe(cc, work, `blas-${lib}`, BLAS_PROBE, [`-l${lib}`]) && run(exe, []).ok) return lib;
  }
  return null;
}

function build() {
  if (process.env.HYPERTRACK_NATIVE_BUILD === 'skip') finish({ ok: false, reason: 'the build was skipped (HYPERTRACK_NATIVE_BUILD=skip)' });
  if (process.platform === 'win32') finish({ ok: false, reason: 'the native build is written for Linux and macOS compilers (cc); Windows is not supported yet' });
  const cc = findCompiler();
  if (cc === null) finish({ ok: false, reason: `no C compiler found (tried ${process.env.CC ?? 'cc, gcc, clang'}; install gcc or set CC, then run npm rebuild @hypertrack/native)` });
  const include = nodeApiHeaders();
  if (include === null) finish({ ok: false, reason: 'the Node-API headers are missing (the node-api-headers package did not install, and node has no include/node folder)' });

  const work = mkdtempSync(join(tmpdir(), 'hypertrack-native-'));
  try {
    buildIn(cc, include, work);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function buildIn(cc, include, work) {
  const x86 = process.arch === 'x64' || process.arch === 'ia32';
  const avx2 = x86 && probe(cc, work, 'avx2', 'int main(void){return 0;}\n', ['-mavx2', '-mfma']);
  const avx512 = x86 && probe(cc, work, 'avx512', '#include <immintrin.h>\nint main(void){__m512 a=_mm512_setzero_ps();(void)a;return 0;}\n', ['-mavx512f', '-mfma']);
  const blas = findBlas(cc, work);
  const common = ['-O3', '-fPIC', '-std=gnu11', '-fno-math-errno', '-fno-trapping-math', '-Wall', '-Wno-unused-function', `-I${include}`];
  const objects = [];
  const compile = (source, flags, object) => {
    const result = run(cc, ['-c', source, '-o', object, ...common, ...flags]);
    if (!result.ok) finish({ ok: false, reason: `${cc} failed on ${source.slice(packageRoot.length + 1)}: ${result.output.split('\n').find((l) => l.includes('error')) ?? result.output.split('\n')[0]}` });
    objects.push(object);
  };
  const variants = [...(avx512 ? [['avx512', ['-mavx512f', '-mfma']]] : []), ...(avx2 ? [['avx2', ['-mavx2', '-mfma']]] : []), ['generic', []]];
  const kernelFiles = readdirSync(join(csrc, 'kernels')).filter((f) => f.endsWith('.c'));
  for (const [name, flags] of variants) {
    for (const file of kernelFiles) compile(join(csrc, 'kernels', file), [`-DHT_VARIANT=${name}`, ...flags], join(work, `${name}-${file}.o`));
  }
  compile(join(csrc, 'parallel.c'), [], join(work, 'parallel.o'));
  if (avx512) compile(join(csrc, 'gemm_narrow.c'), ['-mavx512f', '-mfma'], join(work, 'gemm_narrow.o'));
  compile(join(csrc, 'gemm.c'), avx512 ? ['-DHT_HAVE_AVX512'] : [], join(work, 'gemm.o'));
  compile(join(csrc, 'gemm_blas.c'), blas === null ? [] : [`-DHT_BLAS=${blas}`], join(work, 'gemm_blas.o'));
  compile(join(csrc, 'addon.c'), [...(avx2 ? ['-DHT_HAVE_AVX2'] : []), ...(avx512 ? ['-DHT_HAVE_AVX512'] : [])], join(work, 'addon.o'));
  const linked = join(work, ADDON);
  const macos = process.platform === 'darwin' ? ['-undefined', 'dynamic_lookup'] : [];
  const link = run(cc, ['-shared', '-o', linked, ...objects, ...macos, ...(blas === null ? [] : [`-l${blas}`]), '-lpthread', '-lm']);
  if (!link.ok) finish({ ok: false, reason: `linking failed: ${link.output.split('\n')[0]}` });
  // Load it in a fresh process before it replaces a working copy.
  const load = run(process.execPath, ['-e', `const a = require(${JSON.stringify(linked)}); process.stdout.write(JSON.stringify(a.describe()))`]);
  if (!load.ok) finish({ ok: false, reason: `the built addon does not load: ${load.output.split('\n').find((l) => l.trim() !== '') ?? 'no output'}` });
  mkdirSync(out, { recursive: true });
  const temporary = join(out, `${ADDON}.tmp-${process.pid}`);
  copyFileSync(linked, temporary);
  renameSync(temporary, join(out, ADDON));
  finish({ ok: true, compiler: cc, variants: variants.map(([name]) => name), avx512Products: avx512, blas, loaded: JSON.parse(load.output) });
}

try {
  build();
} catch (error) {
  if (!(error instanceof Finished)) throw error;
  report(error.info);
}
