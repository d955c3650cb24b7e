import { EntitySchema } from '@mikro-orm/postgresql';

/** Someone notifications can reach: a user as accounts announced them (`accounts.user.registered`). */
export class Recipient {
  userId!: string;
  email!: string;
  name!: string;
  /** E.164 mobile number, for SMS; null while accounts collects none. */
  phone!: string | null;
  registeredAt!: Date;
}

export const RecipientSchema = new EntitySchema<Recipient>({
  class: Recipient,
  tableName: 'users',
  properties: {
    userId: { type: 'uuid', primary: true },
    email: { type: 'text' },
    name: { type: 'text' },
    phone: { type: 'text', nullable: true },
    registeredAt: { type: 'datetime' },
  },
});
