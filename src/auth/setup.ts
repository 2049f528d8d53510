// First run: while no user exists, each start makes a new one-time setup token (only its
// hash is stored; the previous start's link stops working) and logs the link that creates
// the owner account. `footfall user add --role owner` is the shell's way to the same end.
import type { AccountStore } from '../store/accounts.js';
import { newToken, sha256 } from './tokens.js';

export async function announceSetup(
  accounts: AccountStore,
  publicUrl: string,
  deps: { now: () => number; randomBytes: (n: number) => Buffer; log: (msg: string) => void },
): Promise<void> {
  if ((await accounts.countUsers()) > 0) return;
  const token = newToken(deps.randomBytes);
  await accounts.setSetupToken(sha256(token), deps.now());
  deps.log(
    `no users yet: open ${publicUrl}/setup?token=${token} to create the owner account (the link works once), or run "footfall user add --email you@example.com --role owner"`,
  );
}
