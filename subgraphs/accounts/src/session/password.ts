import argon2 from 'argon2';

/** argon2id with the library's defaults (64 MiB, 3 passes), re-tuned by changing these only. */
export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, { type: argon2.argon2id });
}

let dummyHash: Promise<string> | null = null;
let verifications = 0;

/** How many passwords this process has verified with argon2 (what a refused sign-in must not add to). */
export function passwordVerifications(): number {
  return verifications;
}

/**
 * Verifies a password. With no hash (unknown email) it still verifies
 * against a dummy hash, so both failures take the same time.
 */
export async function verifyPassword(hash: string | null, password: string): Promise<boolean> {
  verifications += 1;
  if (!hash) {
    dummyHash ??= hashPassword('not-a-real-password-0');
    await argon2.verify(await dummyHash, password).catch(() => false);
    return false;
  }
  return argon2.verify(hash, password).catch(() => false);
}
