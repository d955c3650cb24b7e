import { EntitySchema } from '@mikro-orm/postgresql';
import { Role } from '@shop/platform';

/** An account. The password is only ever held as an argon2id hash. */
export class User {
  id!: string;
  email!: string;
  name!: string;
  role!: Role;
  passwordHash!: string;
  createdAt!: Date;
}

export const UserSchema = new EntitySchema<User>({
  class: User,
  tableName: 'users',
  properties: {
    id: { type: 'uuid', primary: true },
    email: { type: 'string', unique: true },
    name: { type: 'string' },
    role: { type: 'string' },
    passwordHash: { type: 'string' },
    createdAt: { type: 'datetime' },
  },
});
