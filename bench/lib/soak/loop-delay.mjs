// Preloaded into the soak's `mcdewey serve` (node --import): samples the server's event-loop delay
// with perf_hooks and writes the histogram to $MCDEWEY_SOAK_LOOP_DELAY, so the soak can tell a
// blocked loop from a busy machine. Plain JavaScript because the served CLI may be the compiled one.
import fs from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';

const file = process.env.MCDEWEY_SOAK_LOOP_DELAY;
if (file) {
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  histogram.enable();
  const ms = (ns) => Math.round(ns / 1e4) / 100;
  const write = () => {
    const figures = {
      samples: histogram.count, mean: ms(histogram.mean), p50: ms(histogram.percentile(50)), p99: ms(histogram.percentile(99)),
      p999: ms(histogram.percentile(99.9)), max: ms(histogram.max),
    };
    fs.writeFileSync(file, JSON.stringify(figures));
  };
  // Written every 5 s as well as at exit, so a killed server still leaves its figures.
  setInterval(write, 5000).unref();
  process.on('exit', write);
}
