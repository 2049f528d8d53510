// A progress bar for long commands on stderr: redrawn in place on a terminal, a line every
// tenth of the way otherwise (a log file or CI gets 10 lines, not thousands).
export interface Progress {
  update(done: number, total: number, detail: string): void;
  end(): void;
}

const WIDTH = 30;

export function progressBar(stream: NodeJS.WriteStream = process.stderr): Progress {
  let lastTenth = -1;
  let drawn = false;
  return {
    update(done, total, detail) {
      const share = total === 0 ? 1 : done / total;
      const text = `[${'#'.repeat(Math.round(share * WIDTH)).padEnd(WIDTH, '.')}] ${Math.floor(share * 100)}% ${detail}`;
      if (stream.isTTY) {
        stream.write(`\r${text}\u001b[K`);
        drawn = true;
        return;
      }
      const tenth = Math.floor(share * 10);
      if (tenth > lastTenth) {
        lastTenth = tenth;
        stream.write(`${text}\n`);
      }
    },
    end() {
      if (drawn) stream.write('\n');
    },
  };
}
