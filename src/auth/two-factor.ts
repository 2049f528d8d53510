// Two-factor sign-in: enrolment (a pending secret shown as a QR code, confirmed with a code),
// checking a second factor (a TOTP code for a step not used before, or a recovery code, once),
// and the owners' "required for everyone" setting. Routes: src/api/two-factor.ts.
import { footfallError } from '../errors.js';
import type { AccountStore } from '../store/accounts.js';
import { newRecoveryCodes, RECOVERY_CODE, recoveryCodeHash } from './recovery-codes.js';
import { matchTotp, newTotpSecret, totpUri } from './totp.js';

const REQUIRED_SETTING = 'require_two_factor';
const TOTP_CODE = /^\d{6}$/;

export type SecondFactor = { kind: 'totp'; code: string } | { kind: 'recovery'; code: string };

/** A 6-digit code or a recovery code (spaces ignored); anything else is a 400 naming the format. */
export function parseSecondFactor(input: unknown): SecondFactor {
  const text = typeof input === 'string' && input.length <= 40 ? input.replace(/\s/g, '').toLowerCase() : '';
  if (TOTP_CODE.test(text)) return { kind: 'totp', code: text };
  if (RECOVERY_CODE.test(text)) return { kind: 'recovery', code: text };
  throw footfallError('FOOTFALL_ERR_INVALID_FIELD', 'code must be 6 digits or a recovery code (xxxxx-xxxxx)');
}

export interface Enrolment {
  /** Base32, for typing into an app that cannot scan. */
  secret: string;
  uri: string;
  /** The QR code of `uri`, rendered here as SVG (no remote image service sees the secret). */
  qrSvg: string;
}

export async function startEnrolment(
  accounts: AccountStore,
  user: { id: number; email: string },
  randomBytes: (n: number) => Buffer,
): Promise<Enrolment> {
  if ((await accounts.getTwoFactor(user.id)).secret !== null)
    throw footfallError('FOOTFALL_ERR_TWO_FACTOR_ON');
  const secret = newTotpSecret(randomBytes);
  await accounts.setPendingTotpSecret(user.id, secret);
  const uri = totpUri(secret, user.email);
  return {
    secret,
    uri,
    // qrcode (and pngjs under it) is loaded by the first enrolment, not at every start.
    qrSvg: await (await import('qrcode')).default.toString(uri, {
      type: 'svg',
      margin: 1,
      errorCorrectionLevel: 'M',
    }),
  };
}

/** Turns two-factor sign-in on when `code` matches the pending secret; the recovery codes, or undefined. */
export async function confirmEnrolment(
  accounts: AccountStore,
  userId: number,
  code: SecondFactor,
  now: number,
  randomBytes: (n: number) => Buffer,
): Promise<string[] | undefined> {
  const pending = (await accounts.getTwoFactor(userId)).pendingSecret;
  if (pending === null || code.kind !== 'totp') return undefined;
  const step = matchTotp(pending, code.code, now);
  if (step === undefined) return undefined;
  const codes = newRecoveryCodes(randomBytes);
  return (await accounts.enableTwoFactor(userId, pending, codes.map(recoveryCodeHash), step))
    ? codes
    : undefined;
}

/** True once per valid factor: a TOTP step is used up with its code, a recovery code with itself. */
export async function checkSecondFactor(
  accounts: AccountStore,
  userId: number,
  factor: SecondFactor,
  now: number,
): Promise<boolean> {
  const { secret } = await accounts.getTwoFactor(userId);
  if (secret === null) return false;
  if (factor.kind === 'recovery') return accounts.useRecoveryCode(userId, recoveryCodeHash(factor.code));
  const step = matchTotp(secret, factor.code, now);
  return step !== undefined && (await accounts.acceptTotpStep(userId, step));
}

export async function hasTwoFactor(accounts: AccountStore, userId: number): Promise<boolean> {
  return (await accounts.getTwoFactor(userId)).secret !== null;
}

export async function isTwoFactorRequired(accounts: AccountStore): Promise<boolean> {
  return (await accounts.getSetting(REQUIRED_SETTING)) === 'true';
}

export function setTwoFactorRequired(accounts: AccountStore, required: boolean): Promise<void> {
  return accounts.setSetting(REQUIRED_SETTING, String(required));
}
