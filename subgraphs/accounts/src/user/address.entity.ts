import { EntitySchema } from '@mikro-orm/postgresql';

/** A saved postal address of a user. */
export class Address {
  id!: string;
  userId!: string;
  name!: string;
  line1!: string;
  line2?: string | null;
  city!: string;
  postalCode!: string;
  country!: string;
  createdAt!: Date;
}

export const AddressSchema = new EntitySchema<Address>({
  class: Address,
  tableName: 'addresses',
  properties: {
    id: { type: 'uuid', primary: true },
    userId: { type: 'uuid' },
    name: { type: 'string' },
    line1: { type: 'string' },
    line2: { type: 'string', nullable: true },
    city: { type: 'string' },
    postalCode: { type: 'string' },
    country: { type: 'string' },
    createdAt: { type: 'datetime' },
  },
});
