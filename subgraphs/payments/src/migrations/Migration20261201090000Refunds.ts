import { Migration } from '@mikro-orm/migrations';

export class Migration20261201090000Refunds extends Migration {
  override async up(): Promise<void> {
    this.addSql(`ALTER TABLE payments
      ADD COLUMN captured_amount integer NOT NULL DEFAULT 0,
      ADD COLUMN refunded_amount integer NOT NULL DEFAULT 0`);
    // Payments settled before partial refunds existed were captured, and refunded, in full.
    this.addSql(`UPDATE payments SET captured_amount = amount WHERE status IN ('CAPTURED', 'REFUNDED')`);
    this.addSql(`UPDATE payments SET refunded_amount = amount WHERE status = 'REFUNDED'`);
    this.addSql(`ALTER TABLE payments ADD CONSTRAINT payments_money_back
      CHECK (0 <= refunded_amount AND refunded_amount <= captured_amount AND captured_amount <= amount)`);
    // A refund of nothing (a final return after the capture was already paid back) has no provider reference.
    this.addSql(`CREATE TABLE refunds (
      id uuid PRIMARY KEY,
      payment_id uuid NOT NULL REFERENCES payments (id),
      idempotency_key varchar(255) NOT NULL,
      amount integer NOT NULL CHECK (amount >= 0),
      provider_reference varchar(255) NULL,
      return_id uuid NULL,
      created_at timestamptz NOT NULL,
      CONSTRAINT refunds_idempotency_key_unique UNIQUE (idempotency_key),
      CONSTRAINT refunds_provider_reference CHECK (amount = 0 OR provider_reference IS NOT NULL)
    )`);
    this.addSql('CREATE INDEX refunds_payment_id ON refunds (payment_id)');
  }

  override async down(): Promise<void> {
    this.addSql('DROP TABLE refunds');
    this.addSql('ALTER TABLE payments DROP CONSTRAINT payments_money_back, DROP COLUMN captured_amount, DROP COLUMN refunded_amount');
  }
}
