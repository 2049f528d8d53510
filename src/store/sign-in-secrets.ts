// What password reset and two-factor sign-in ask of a store (part of AccountStore): reset
// links, pending sign-ins, TOTP secrets and recovery codes, and instance-wide settings.
// Engine-neutral: hashes and ids in, plain records out; times in epoch milliseconds.

/** A pending sign-in after a correct password: 'code' waits for a second factor, 'enrol' for one to be set up. */
export type ChallengePurpose = 'code' | 'enrol';

export interface TwoFactorRecord {
  /** The confirmed TOTP secret (base32); null: two-factor sign-in is off. */
  secret: string | null;
  /** A secret shown for enrolment and not yet confirmed with a code. */
  pendingSecret: string | null;
  /** The last TOTP time step a code was accepted for. */
  lastStep: number | null;
  recoveryCodesLeft: number;
}

export interface SignInSecretStore {
  addPasswordReset(tokenHash: string, userId: number, expiresAt: number): Promise<void>;
  /**
   * Uses a reset link up: the user's id when the hash names an unexpired link, and then every
   * link of that user is gone. Two requests with the same link: one gets the id.
   */
  takePasswordReset(tokenHash: string, now: number): Promise<number | undefined>;

  addLoginChallenge(
    tokenHash: string,
    userId: number,
    purpose: ChallengePurpose,
    expiresAt: number,
  ): Promise<void>;
  findLoginChallenge(
    tokenHash: string,
    now: number,
  ): Promise<{ userId: number; purpose: ChallengePurpose } | undefined>;
  /** True for the one caller that removed it (a pending sign-in ends once). */
  removeLoginChallenge(tokenHash: string): Promise<boolean>;

  getTwoFactor(userId: number): Promise<TwoFactorRecord>;
  setPendingTotpSecret(userId: number, secret: string): Promise<void>;
  /**
   * Turns two-factor sign-in on with the pending secret (only while it is still `secret`),
   * replacing the recovery codes, with `step` as the last accepted step. False: no such pending secret.
   */
  enableTwoFactor(
    userId: number,
    secret: string,
    recoveryCodeHashes: readonly string[],
    step: number,
  ): Promise<boolean>;
  /** Off, with the secret and recovery codes gone. */
  disableTwoFactor(userId: number): Promise<void>;
  /** Compare-and-set: true (and recorded) only when `step` is later than the last accepted one. */
  acceptTotpStep(userId: number, step: number): Promise<boolean>;
  /** True for the one caller that used the code up. */
  useRecoveryCode(userId: number, codeHash: string): Promise<boolean>;

  getSetting(name: string): Promise<string | undefined>;
  setSetting(name: string, value: string): Promise<void>;
}
