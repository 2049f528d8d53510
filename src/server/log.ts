// The server's log: one line per event on stderr (systemd's journal or Docker keeps it;
// Footfall writes no log files, so there are none to reopen). `--log-format json` makes each
// line a JSON object for log shippers; `--log-level` drops lines below a level.
//
// A Logger is also the plain `(message) => void` the server's parts take (level info), so
// they need not know about levels unless they report a failure.

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
export const LOG_FORMATS = ['text', 'json'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

export type Logger = (message: string, level?: LogLevel) => void;

export interface LoggerOptions {
  format: LogFormat;
  level: LogLevel;
  /** Where a finished line goes (default: stderr). */
  write?: (line: string) => void;
  now?: () => number;
}

export function formatLine(format: LogFormat, level: LogLevel, message: string, time: number): string {
  if (format === 'json') return JSON.stringify({ time: new Date(time).toISOString(), level, msg: message });
  // One event, one line: a message with line breaks (a stack trace) keeps them escaped.
  const text = message.replace(/\r?\n/g, '\\n');
  // Info lines stay as they always were; journald and Docker add the time themselves.
  return level === 'info' ? text : `${level}: ${text}`;
}

export function createLogger(options: LoggerOptions): Logger {
  const write = options.write ?? ((line: string) => process.stderr.write(`${line}\n`));
  const now = options.now ?? Date.now;
  const min = LOG_LEVELS.indexOf(options.level);
  return (message, level = 'info') => {
    if (LOG_LEVELS.indexOf(level) < min) return;
    write(formatLine(options.format, level, message, now()));
  };
}
