// Compares two folders written by same-numbers.sh: every JSON and JSON-lines file with its timing
// fields left out, every other data file (safetensors, Arrow, the VD model) byte for byte. Prints
// each difference and exits 1 when there is one.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

const [a, b] = process.argv.slice(2);
if (!a || !b) {
  console.error('same-numbers.mjs: usage: node tools/validate/same-numbers.mjs DIR_BEFORE DIR_AFTER');
  process.exit(2);
}

/** Keys holding wall times, dates or machine facts: they differ between any two runs. */
const VOLATILE = /(^|_)(ms|s)$|Ms$|^time|Time|timing|elapsed|wall|date|At$|created|started|finished|host|pid|backend|version$/;
/** Files that are renderings of the data files or logs with wall times in them. */
const SKIPPED = /\.(html|png|svg|txt|log)$/;

function filesOf(root) {
  const out = [];
  const walk = (dir) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else out.push(relative(root, path));
    }
  };
  walk(root);
  return out.sort();
}

function stripVolatile(value) {
  // A results-table column ({ key: "timeVd", mean, ... }) is a timing as a whole.
  if (Array.isArray(value)) return value.filter((v) => !(v !== null && typeof v === 'object' && typeof v.key === 'string' && VOLATILE.test(v.key))).map(stripVolatile);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).filter(([k]) => !VOLATILE.test(k)).map(([k, v]) => [k, stripVolatile(v)]));
  }
  return value;
}

/** Each folder's own path inside its files (run records name their inputs) is written as <run>. */
function normalised(path, root) {
  const text = readFileSync(path, 'utf8').replaceAll(resolve(root), '<run>');
  if (path.endsWith('.jsonl')) return text.split('\n').filter((l) => l.trim() !== '').map((l) => JSON.stringify(stripVolatile(JSON.parse(l)))).join('\n');
  return JSON.stringify(stripVolatile(JSON.parse(text)), null, 1);
}

const before = filesOf(a).filter((f) => !SKIPPED.test(f));
const after = new Set(filesOf(b).filter((f) => !SKIPPED.test(f)));
let differences = 0;
let compared = 0;
for (const file of before) {
  if (!after.has(file)) {
    console.log(`only in ${a}: ${file}`);
    differences++;
    continue;
  }
  after.delete(file);
  compared++;
  const pa = join(a, file);
  const pb = join(b, file);
  const same = /\.jsonl?$/.test(file) ? normalised(pa, a) === normalised(pb, b) : readFileSync(pa).equals(readFileSync(pb));
  if (!same) {
    console.log(`differs: ${file}`);
    differences++;
  }
}
for (const file of after) {
  console.log(`only in ${b}: ${file}`);
  differences++;
}
console.log(`same-numbers: ${compared} files compared, ${differences} difference(s)`);
process.exit(differences === 0 ? 0 : 1);
