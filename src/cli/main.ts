#!/usr/bin/env node
// The `footfall` command. Each subcommand lives in its own file.
import { isMainThread } from 'node:worker_threads';
import { Command, CommanderError } from 'commander';
import { VERSION } from '../version.js';
import { registerBackup } from './backup.js';
import { registerCompact } from './compact.js';
import { registerDoctor } from './doctor.js';
import { registerExport } from './export.js';
import { registerFunnel } from './funnel.js';
import { registerGoal } from './goal.js';
import { registerImport } from './import.js';
import { registerJournal } from './journal.js';
import { registerKey } from './key.js';
import { registerMail } from './mail.js';
import { registerMigrate } from './migrate.js';
import { registerQuery } from './query.js';
import { registerReport } from './report.js';
import { registerServe } from './serve.js';
import { registerService } from './service.js';
import { registerSite } from './site.js';
import { registerUser } from './user.js';
import { isUserError } from './user-error.js';

const program = new Command('footfall')
  .description('Footfall: self-hosted, privacy-first web analytics')
  .version(VERSION, '-V, --version', 'print the version')
  .showHelpAfterError('(run with --help for usage)')
  .exitOverride();
registerServe(program);
registerSite(program);
registerGoal(program);
registerFunnel(program);
registerQuery(program);
registerUser(program);
registerKey(program);
registerMail(program);
registerReport(program);
registerService(program);
registerDoctor(program);
registerImport(program);
registerExport(program);
registerBackup(program);
registerCompact(program);
registerMigrate(program);
registerJournal(program);

// A worker thread started from the bundle (import/log-worker.ts) runs its own task, not the CLI.
if (isMainThread) {
  try {
    await program.parseAsync(process.argv);
  } catch (err) {
    if (err instanceof CommanderError) process.exit(err.exitCode);
    if (isUserError(err)) {
      console.error(`footfall: ${err.message}`);
      process.exit(2);
    }
    throw err;
  }
}
