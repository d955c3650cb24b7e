import { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { Migration } from '@mikro-orm/migrations';
import { StatementCounter, databaseName, dropDatabase, initORM, createLogger } from '@shop/platform';
import { testConfig } from '../support/stack';

// `em.execute` with scalar parameters goes straight to its connection, prepared (platform/src/db/prepared.ts): it must
// still run on the transaction's connection inside one, refuse to run on a finished one, and answer as the ORM does.
class NotesMigration extends Migration {
  override async up(): Promise<void> {
    this.addSql('CREATE TABLE notes (id int PRIMARY KEY, body text NOT NULL, at timestamptz NULL)');
  }
}

const config = testConfig();
const dbName = databaseName(config, 'reviews');
let orm: MikroORM;
let statements: StatementCounter;

beforeAll(async () => {
  ({ orm, statements } = await initORM({
    config, dbName, entities: [], log: createLogger('test', 'silent'), migrations: [{ name: 'Notes', class: NotesMigration }],
  }));
});
afterAll(async () => {
  await orm?.close(true);
  await dropDatabase(config, dbName);
});
beforeEach(async () => { await orm.em.fork().execute('DELETE FROM notes'); });

const bodies = async () => (await orm.em.fork().execute('SELECT body FROM notes ORDER BY id')).map((r: any) => r.body);

describe('statements with parameters', () => {
  it('run in the transaction: its own writes are seen, and a rollback takes them back', async () => {
    await expect(orm.em.fork().transactional(async (tx) => {
      await tx.execute('INSERT INTO notes (id, body) VALUES (?, ?)', [1, 'inside']);
      expect(await tx.execute('SELECT body FROM notes WHERE id = ?', [1])).toEqual([{ body: 'inside' }]);
      throw new Error('roll back');
    })).rejects.toThrow('roll back');
    expect(await bodies()).toEqual([]);
  });

  it('are prepared on the connection that runs them', async () => {
    const names = await orm.em.fork().transactional(async (tx) => {
      await tx.execute('SELECT body FROM notes WHERE id = ? AND body <> ?', [1, 'x']);
      return (await tx.execute("SELECT name FROM pg_prepared_statements WHERE statement LIKE '%body <> $2%'")).map((r: any) => r.name);
    });
    expect(names).toEqual([expect.stringMatching(/^shop_[0-9a-f]{24}$/)]);
  });

  it('refuse to run on a transaction that has finished', async () => {
    let finished!: EntityManager;
    await orm.em.fork().transactional(async (tx) => { finished = tx; });
    await expect(finished.execute('INSERT INTO notes (id, body) VALUES (?, ?)', [2, 'late'])).rejects.toThrow(/already complete/);
    expect(await bodies()).toEqual([]);
  });

  it('answer as the ORM does: rows, the first row, or what was written; each one counted', async () => {
    const before = statements.count;
    const at = new Date('2026-12-01T10:00:00.000Z');
    const written = await orm.em.fork().execute('INSERT INTO notes (id, body, at) VALUES (?, ?, ?), (?, ?, ?) RETURNING id', [3, 'a', at, 4, 'b', null], 'run');
    expect(written).toMatchObject({ affectedRows: 2, rows: [{ id: 3 }, { id: 4 }] });
    // A date parameter is the instant; timestamps come back as the ORM's connections read them (PostgreSQL's text).
    const first: any = await orm.em.fork().execute('SELECT id, at FROM notes WHERE id >= ? ORDER BY id', [3], 'get');
    expect(first).toEqual({ id: 3, at: expect.any(String) });
    expect(new Date(first.at)).toEqual(at);
    expect(await orm.em.fork().execute('SELECT body FROM notes WHERE at IS NULL AND id > ?', [0])).toEqual([{ body: 'b' }]);
    expect(statements.count - before).toBe(3);
  });

  it('surface database errors as the ORM converts them, with their code', async () => {
    await orm.em.fork().execute('INSERT INTO notes (id, body) VALUES (?, ?)', [5, 'first']);
    const error = await orm.em.fork().execute('INSERT INTO notes (id, body) VALUES (?, ?)', [5, 'again']).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'UniqueConstraintViolationException', code: '23505', constraint: 'notes_pkey' });
  });
});
