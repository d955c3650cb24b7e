import { EntitySchema } from '@mikro-orm/postgresql';

/**
 * One refresh token of a session ("family"). Only a SHA-256 hash of the
 * secret is stored. Using a token marks it used and issues the next one of
 * the family; presenting a used token again revokes the whole family.
 */
export class RefreshToken {
  id!: string;
  familyId!: string;
  userId!: string;
  tokenHash!: string;
  expiresAt!: Date;
  usedAt?: Date | null;
  revokedAt?: Date | null;
  createdAt!: Date;
}

export const RefreshTokenSchema = new EntitySchema<RefreshToken>({
  class: RefreshToken,
  tableName: 'refresh_tokens',
  properties: {
    id: { type: 'uuid', primary: true },
    familyId: { type: 'uuid' },
    userId: { type: 'uuid' },
    tokenHash: { type: 'string' },
    expiresAt: { type: 'datetime' },
    usedAt: { type: 'datetime', nullable: true },
    revokedAt: { type: 'datetime', nullable: true },
    createdAt: { type: 'datetime' },
  },
});
