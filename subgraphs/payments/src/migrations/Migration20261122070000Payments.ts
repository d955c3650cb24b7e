import { Migration } from '@mikro-orm/migrations';

export class Migration20261122070000Payments extends Migration {
  override async up(): Promise<void> {
    // An intent made by a cancellation that overtook the placement has no amount yet, and is cancelled.
    this.addSql(`CREATE TABLE payment_intents (
      order_id uuid PRIMARY KEY,
      customer_id uuid NOT NULL,
      amount integer NULL CHECK (amount >= 0),
      currency char(3) NULL,
      payment_token text NULL,
      cancelled boolean NOT NULL DEFAULT false,
      created_at timestamptz NOT NULL,
      CONSTRAINT payment_intents_complete CHECK (cancelled OR (amount IS NOT NULL AND currency IS NOT NULL AND payment_token IS NOT NULL))
    )`);
    this.addSql(`CREATE TABLE payments (
      id uuid PRIMARY KEY,
      order_id uuid NOT NULL REFERENCES payment_intents (order_id) DEFERRABLE INITIALLY DEFERRED,
      customer_id uuid NOT NULL,
      amount integer NOT NULL CHECK (amount >= 0),
      currency char(3) NOT NULL,
      status varchar(16) NOT NULL CHECK (status IN ('PENDING', 'AUTHORIZED', 'CAPTURED', 'FAILED', 'VOIDED', 'REFUNDED')),
      failure_reason text NULL,
      provider_reference varchar(255) NULL,
      created_at timestamptz NOT NULL,
      updated_at timestamptz NOT NULL,
      CONSTRAINT payments_order_unique UNIQUE (order_id),
      CONSTRAINT payments_failure_reason CHECK ((status = 'FAILED') = (failure_reason IS NOT NULL)),
      CONSTRAINT payments_provider_reference CHECK (status IN ('PENDING', 'FAILED') OR provider_reference IS NOT NULL)
    )`);
  }

  override async down(): Promise<void> {
    this.addSql('DROP TABLE payments');
    this.addSql('DROP TABLE payment_intents');
  }
}
