import { Migration } from '@mikro-orm/migrations';

export class Migration20261201090000Notifications extends Migration {
  override async up(): Promise<void> {
    // Who can be reached, learnt from accounts.user.registered: notifications reads no other subgraph's tables.
    this.addSql(`CREATE TABLE users (
      user_id uuid PRIMARY KEY,
      email text NOT NULL,
      name text NOT NULL,
      phone text NULL,
      registered_at timestamptz NOT NULL
    )`);
    this.addSql(`CREATE TABLE notification_preferences (
      user_id uuid PRIMARY KEY,
      order_emails boolean NOT NULL,
      updated_at timestamptz NOT NULL
    )`);
    // A row is claimed (sent_at NULL) before the channel is called and marked sent after; the unique key makes
    // a second delivery of the same event, on any replica, find the claim and send nothing.
    this.addSql(`CREATE TABLE notifications (
      id uuid PRIMARY KEY,
      event_id uuid NOT NULL,
      user_id uuid NOT NULL,
      channel varchar(16) NOT NULL,
      template varchar(64) NOT NULL,
      recipient text NOT NULL,
      subject text NOT NULL,
      body text NOT NULL,
      claimed_at timestamptz NOT NULL,
      sent_at timestamptz NULL,
      CONSTRAINT notifications_once UNIQUE (event_id, user_id, channel)
    )`);
    this.addSql('CREATE INDEX notifications_user_sent_idx ON notifications (user_id, sent_at DESC, id DESC) WHERE sent_at IS NOT NULL');
    this.addSql('CREATE INDEX notifications_sent_idx ON notifications (sent_at DESC, id DESC) WHERE sent_at IS NOT NULL');
  }

  override async down(): Promise<void> {
    this.addSql('DROP TABLE notifications');
    this.addSql('DROP TABLE notification_preferences');
    this.addSql('DROP TABLE users');
  }
}
