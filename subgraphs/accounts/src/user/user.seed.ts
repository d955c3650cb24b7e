import { MikroORM } from '@mikro-orm/postgresql';
import { Role, newId } from '@shop/platform';
import { hashPassword } from '../session/password';
import { User } from './user.entity';

/** Creates a user with a given role, or updates the role and password of an existing one (the dev admin seed). */
export async function ensureUser(orm: MikroORM, input: { email: string; password: string; name: string; role: Role }): Promise<User> {
  const em = orm.em.fork();
  const email = input.email.toLowerCase();
  const passwordHash = await hashPassword(input.password);
  let user = await em.findOne(User, { email });
  if (user) {
    user.role = input.role;
    user.passwordHash = passwordHash;
  } else {
    user = em.create(User, { id: newId(), email, name: input.name, role: input.role, passwordHash, createdAt: new Date() });
    em.persist(user);
  }
  await em.flush();
  return user;
}
