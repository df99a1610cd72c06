// Benchmark harness: warm-up runs, then timed runs; reports the median (and the spread, since
// these 2-core machines are noisy). Figures go to docs/benchmarks.md.
export async function measure(name, fn, { warmup = 2, runs = 7 } = {}) {
  for (let i = 0; i < warmup; i++) await fn(i);
  const times = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn(warmup + i);
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  const result = { name, medianMs: times[Math.floor(times.length / 2)], minMs: times[0], maxMs: times[times.length - 1], runs };
  console.log(`${name.padEnd(48)} median ${result.medianMs.toFixed(1).padStart(8)} ms  (min ${result.minMs.toFixed(1)}, max ${result.maxMs.toFixed(1)}, ${runs} runs)`);
  return result;
}
