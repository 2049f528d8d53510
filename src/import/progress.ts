// Progress of a long job: a bar with rows, rate and ETA on a terminal (cli-progress), and a
// plain line every 10 % otherwise (logs and pipes get no control characters).
import { Presets, SingleBar } from 'cli-progress';

export interface Progress {
  update(done: number): void;
  stop(): void;
}

export function progress(
  label: string,
  total: number,
  stream: NodeJS.WriteStream = process.stderr,
): Progress {
  if (stream.isTTY) {
    const bar = new SingleBar(
      {
        format: `${label} [{bar}] {percentage}% | {value}/{total} rows | {rate} rows/s | ETA {eta_formatted}`,
        stream,
        hideCursor: true,
      },
      Presets.shades_classic,
    );
    const started = Date.now();
    bar.start(total, 0, { rate: 0 });
    return {
      update: (done) =>
        bar.update(done, { rate: Math.round(done / Math.max(0.001, (Date.now() - started) / 1000)) }),
      stop: () => bar.stop(),
    };
  }
  let nextTenth = 1;
  return {
    update(done) {
      if (total === 0) return;
      // One line for the furthest tenth reached: a jump over several tenths is not several lines.
      let reached = 0;
      while (done >= (total * nextTenth) / 10 && nextTenth <= 10) reached = nextTenth++;
      if (reached > 0) stream.write(`${label}: ${done}/${total} rows (${reached * 10} %)\n`);
    },
    stop() {},
  };
}
