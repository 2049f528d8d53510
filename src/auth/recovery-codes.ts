// Ten single-use recovery codes, shown once when two-factor sign-in is turned on, for the day
// the phone is lost. Each is 50 random bits (10 base-32 characters as xxxxx-xxxxx), so like
// sessions a SHA-256 hash is enough to keep; they are compared without case, dash or spaces.
import { sha256 } from './tokens.js';

export const RECOVERY_CODE_COUNT = 10;
const ALPHABET = 'abcdefghijkmnpqrstuvwxyz23456789'; // 32 symbols, no 0/o or 1/l to misread

export const RECOVERY_CODE = /^[a-z2-9]{5}-?[a-z2-9]{5}$/;

export function newRecoveryCodes(randomBytes: (n: number) => Buffer): string[] {
  return Array.from({ length: RECOVERY_CODE_COUNT }, () => {
    const chars = [...randomBytes(10)].map((b) => ALPHABET[b & 31]!).join('');
    return `${chars.slice(0, 5)}-${chars.slice(5)}`;
  });
}

export function recoveryCodeHash(code: string): string {
  return sha256(code.toLowerCase().replace(/[\s-]/g, ''));
}
