// `footfall service print|env`: a systemd unit for this installation and the environment
// file it reads. Printed, never installed: the operator reads it, then writes it as root.
//
// Hardening, and why each line is safe for Footfall: it needs to write only its data
// directory (DuckDB file, journal, control socket), listen on an unprivileged port behind a
// proxy, and read its own package. MemoryDenyWriteExecute is left out on purpose: V8's JIT
// needs writable executable memory and Node refuses to start under it.
import { realpathSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { ConfigError, SETTINGS } from '../server/config.js';
import { VERSION } from '../version.js';
import { SHUTDOWN_DEADLINE_MS } from './serve.js';

export interface UnitOptions {
  user: string;
  dataDir: string;
  envFile: string;
  /** The node binary and the footfall script, absolute (systemd needs absolute paths). */
  node: string;
  script: string;
}

export const DEFAULT_ENV_FILE = '/etc/footfall/footfall.env';

/** systemd stops the service with SIGKILL after this; it must outlast serve's own drain deadline. */
export const STOP_TIMEOUT_SEC = Math.ceil(SHUTDOWN_DEADLINE_MS / 1000) + 10;

// Paths go into the unit unquoted, so only characters systemd reads literally are accepted.
const SAFE_PATH = /^\/[A-Za-z0-9._/-]*$/;
const SAFE_USER = /^[a-z_][a-z0-9_-]{0,31}$/;

function checkPath(text: string, flag: string): string {
  if (!SAFE_PATH.test(text) || text.split('/').includes('..')) {
    throw new ConfigError(
      `${flag} "${text}" must be an absolute path of letters, digits and . _ - / only, e.g. /var/lib/footfall`,
    );
  }
  return text.length > 1 ? text.replace(/\/+$/, '') : text;
}

export function checkUnitOptions(o: UnitOptions): UnitOptions {
  if (!SAFE_USER.test(o.user) || o.user === 'root') {
    throw new ConfigError(
      `--user "${o.user}" must be a dedicated system user (lower case, not root), e.g. footfall: create it with \`useradd --system --home-dir /nonexistent --shell /usr/sbin/nologin footfall\``,
    );
  }
  if (o.dataDir === '/')
    throw new ConfigError(
      '--data "/" would let the service write everywhere: name a directory such as /var/lib/footfall',
    );
  return {
    user: o.user,
    dataDir: checkPath(o.dataDir, '--data'),
    envFile: checkPath(o.envFile, '--env-file'),
    node: checkPath(o.node, 'the node binary'),
    script: checkPath(o.script, 'the footfall script'),
  };
}

export function renderUnit(options: UnitOptions): string {
  const o = checkUnitOptions(options);
  // Under /var/lib, systemd itself creates the directory for the user, mode 0700.
  const stateDir = path.dirname(o.dataDir) === '/var/lib' ? path.basename(o.dataDir) : undefined;
  return `# Footfall ${VERSION}: save as /etc/systemd/system/footfall.service, then
#   systemctl daemon-reload && systemctl enable --now footfall
[Unit]
Description=Footfall web analytics
After=network-online.target
Wants=network-online.target

[Service]
Type=simple
User=${o.user}
Group=${o.user}
EnvironmentFile=${o.envFile}
Environment=FOOTFALL_DATA=${o.dataDir}
ExecStart=${o.node} ${o.script} serve
# Accepted events are committed on SIGTERM; serve gives up after ${SHUTDOWN_DEADLINE_MS} ms, systemd waits longer.
KillSignal=SIGTERM
# systemctl reload: reopens the geo database (e.g. after geoipupdate).
ExecReload=/bin/kill -HUP $MAINPID
TimeoutStopSec=${STOP_TIMEOUT_SEC}
Restart=on-failure
RestartSec=5
${stateDir ? `StateDirectory=${stateDir}\nStateDirectoryMode=0700\n` : ''}UMask=0077
# Hardening: writes only the data directory, no new privileges, no capabilities.
NoNewPrivileges=true
ProtectSystem=strict
ReadWritePaths=${o.dataDir}
ProtectHome=true
PrivateTmp=true
PrivateDevices=true
ProtectKernelTunables=true
ProtectKernelModules=true
ProtectKernelLogs=true
ProtectControlGroups=true
ProtectClock=true
ProtectHostname=true
RestrictSUIDSGID=true
RestrictRealtime=true
RestrictNamespaces=true
LockPersonality=true
RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6
CapabilityBoundingSet=
AmbientCapabilities=
SystemCallArchitectures=native
LimitNOFILE=65536

[Install]
WantedBy=multi-user.target
`;
}

/** Values suited to a server behind a proxy on the same machine; the rest commented out. */
const SERVICE_VALUES: Record<string, string> = {
  PORT: '8000',
  FOOTFALL_HOST: '127.0.0.1',
  FOOTFALL_PUBLIC_URL: 'https://stats.example.com',
  FOOTFALL_TRUST_PROXY: 'loopback',
};

/** The environment file: every setting of `footfall serve`, from SETTINGS, so none is missed. */
export function renderEnvFile(): string {
  const lines = [
    `# Footfall ${VERSION} settings for the systemd unit: save as ${DEFAULT_ENV_FILE}, mode 0640,`,
    '# owned by root with the service group (it may hold the admin key). One VAR=value a line.',
    '',
  ];
  for (const s of SETTINGS) {
    // The unit sets the data directory itself (ReadWritePaths must name the same one).
    if (s.env === 'FOOTFALL_DATA') continue;
    lines.push(`# ${s.help} (default ${s.defaultText})`);
    const value = SERVICE_VALUES[s.env];
    lines.push(value === undefined ? `#${s.env}=` : `${s.env}=${value}`, '');
  }
  return lines.join('\n');
}

/** Where this installation's node and footfall script are, resolving npm's bin symlink. */
function thisInstall(): { node: string; script: string } {
  const script = realpathSync(process.argv[1]!);
  if (!script.endsWith('.js')) {
    throw new ConfigError(
      `this footfall runs from source (${script}): run \`footfall service print\` from an installed package or dist/footfall.js`,
    );
  }
  return { node: process.execPath, script };
}

export function registerService(program: Command): void {
  const service = program
    .command('service')
    .description('print a systemd unit and its environment file (nothing is installed)');
  service
    .command('print')
    .description('print a hardened systemd unit running this installation')
    .requiredOption('--user <name>', 'the dedicated system user the service runs as')
    .requiredOption('--data <dir>', 'the data directory (absolute), the only place it may write')
    .option('--env-file <file>', 'the environment file the unit reads', DEFAULT_ENV_FILE)
    .action((opts: { user: string; data: string; envFile: string }) => {
      process.stdout.write(
        renderUnit({ user: opts.user, dataDir: opts.data, envFile: opts.envFile, ...thisInstall() }),
      );
    });
  service
    .command('env')
    .description(`print an environment file template for the unit (${DEFAULT_ENV_FILE})`)
    .action(() => {
      process.stdout.write(renderEnvFile());
    });
}
