#!/usr/bin/env node
// Learning curves of training runs side by side: the mean validation edge AUC (with and without
// self-loops) over blocks of events seen, from each run's metrics.jsonl. Prints a Markdown table.
// Usage: node tools/validate/learning-curves.mjs [--block EVENTS] [--batch N] NAME=RUN_DIR ...
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const args = process.argv.slice(2);
const take = (name, fallback) => {
  const at = args.indexOf(`--${name}`);
  if (at < 0) return fallback;
  const value = Number(args[at + 1]);
  args.splice(at, 2);
  return value;
};
const block = take('block', 100);
const batch = take('batch', 2);
if (args.length === 0) {
  console.error('usage: learning-curves.mjs [--block EVENTS] [--batch N] NAME=RUN_DIR ...');
  process.exit(2);
}
const runs = args.map((arg) => {
  const [name, dir] = arg.includes('=') ? arg.split('=') : [arg, arg];
  const lines = readFileSync(join(dir, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  const blocks = new Map();
  for (const line of lines) {
    if (typeof line.val_edge_auc !== 'number') continue;
    const events = (line.iteration + 1) * batch;
    const k = Math.floor((events - 1) / block);
    const b = blocks.get(k) ?? { auc: [], noSelf: [] };
    b.auc.push(line.val_edge_auc);
    if (typeof line.val_edge_auc_noself === 'number') b.noSelf.push(line.val_edge_auc_noself);
    blocks.set(k, b);
  }
  return { name, blocks };
});
const mean = (v) => (v.length === 0 ? NaN : v.reduce((s, x) => s + x, 0) / v.length);
const last = Math.max(...runs.flatMap((r) => [...r.blocks.keys()]));
console.log(`| events seen | ${runs.map((r) => `${r.name}: val AUC / without self-loops`).join(' | ')} |`);
console.log(`|---|${runs.map(() => '---').join('|')}|`);
for (let k = 0; k <= last; k++) {
  const cells = runs.map((r) => {
    const b = r.blocks.get(k);
    return b === undefined ? '-' : `${mean(b.auc).toFixed(3)} / ${mean(b.noSelf).toFixed(3)}`;
  });
  console.log(`| ${k * block + 1}-${(k + 1) * block} | ${cells.join(' | ')} |`);
}
