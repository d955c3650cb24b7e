import { Migration } from '@mikro-orm/migrations';

export class Migration20261122010000Accounts extends Migration {
  override async up(): Promise<void> {
    this.addSql(`CREATE TABLE users (
      id uuid PRIMARY KEY,
      email varchar(254) NOT NULL,
      name varchar(100) NOT NULL,
      role varchar(16) NOT NULL CHECK (role IN ('CUSTOMER', 'ADMIN', 'PARTNER')),
      password_hash varchar(255) NOT NULL,
      created_at timestamptz NOT NULL
    )`);
    this.addSql('CREATE UNIQUE INDEX users_email_unique ON users (email)');
    this.addSql(`CREATE TABLE addresses (
      id uuid PRIMARY KEY,
      user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
      name varchar(100) NOT NULL,
      line1 varchar(200) NOT NULL,
      line2 varchar(200) NULL,
      city varchar(100) NOT NULL,
      postal_code varchar(20) NOT NULL,
      country char(2) NOT NULL,
      created_at timestamptz NOT NULL
    )`);
    this.addSql('CREATE INDEX addresses_user_idx ON addresses (user_id, created_at)');
    this.addSql(`CREATE TABLE refresh_tokens (
      id uuid PRIMARY KEY,
      family_id uuid NOT NULL,
      user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
      token_hash char(64) NOT NULL,
      expires_at timestamptz NOT NULL,
      used_at timestamptz NULL,
      revoked_at timestamptz NULL,
      created_at timestamptz NOT NULL
    )`);
    this.addSql('CREATE INDEX refresh_tokens_family_idx ON refresh_tokens (family_id)');
  }

  override async down(): Promise<void> {
    this.addSql('DROP TABLE refresh_tokens');
    this.addSql('DROP TABLE addresses');
    this.addSql('DROP TABLE users');
  }
}
