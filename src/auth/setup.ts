// First run: while no user exists, each start makes a new one-time setup token (only its
// hash is stored; the previous start's link stops working) and logs the link that creates
// the owner account. `footfall user add --role owner` is the shell's way to the same end.
import type { AccountStore } from '../store/accounts.js';
import { newToken, sha256 } from './tokens.js';

export async function announceSetup(
  accounts: AccountStore,
  publicUrl: string,
  deps: {
    now: () => number;
    randomBytes: (n: number) => Buffer;
    log: (msg: string) => void;
    /** How the operator runs the CLI here: `footfall`, or `npx footfall` under `npm start`. */
    command: string;
  },
): Promise<void> {
  if ((await accounts.countUsers()) > 0) return;
  const token = newToken(deps.randomBytes);
  await accounts.setSetupToken(sha256(token), deps.now());
  // Three short lines rather than one of 200 columns: the link alone is ~80 with localhost,
  // and a terminal that wraps it mid-token makes it hard to copy (issue 12, B1).
  deps.log('no users yet: open this link to create the owner account (it works once):');
  deps.log(`${publicUrl}/setup?token=${token}`);
  deps.log(`or run: ${deps.command} user add --email you@example.com --role owner`);
}
