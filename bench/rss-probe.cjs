// Preloaded with `node --require bench/rss-probe.cjs ...` by bench/run.mjs: on exit, writes the process's
// peak resident set size (getrusage ru_maxrss, in KiB on Linux) to the file named by BENCH_RSS_FILE.
// One synchronous write in an 'exit' listener: nothing runs while the measured program runs.
'use strict';
const file = process.env.BENCH_RSS_FILE;
if (file) {
  process.on('exit', () => {
    try {
      require('node:fs').writeFileSync(file, String(process.resourceUsage().maxRSS));
    } catch {
      // best effort: run.mjs reports a missing figure
    }
  });
}
