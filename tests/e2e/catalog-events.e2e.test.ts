import { EventEnvelope, EventType } from '@shop/platform';
import { startStack, Stack } from '../support/stack';
import { TestUser, registerUser, userWithRole } from '../support/users';
import { outboxRelayed, storedEventsOf } from '../support/events';
import { CREATE_PRODUCT, UPDATE_PRODUCT, createCategory, createProduct } from '../support/catalog';

let stack: Stack;
let admin: TestUser;
beforeAll(async () => {
  stack = await startStack(['accounts', 'catalog']);
  admin = await userWithRole(stack, 'ADMIN');
});
afterAll(async () => { await stack?.stop(); });

interface Published { msgId: string | undefined; event: EventEnvelope }

/** Waits until catalog's outbox is fully relayed, then reads every event of a type from the stream, in order. */
async function published(type: EventType): Promise<Published[]> {
  await outboxRelayed(stack, 'catalog');
  return (await storedEventsOf(stack, type)).map(({ msgId, event }) => ({ msgId, event }));
}

describe('catalog events', () => {
  it('publishes catalog.product.created and catalog.product.updated, once each, with the event id as message id', async () => {
    const category = await createCategory(stack, admin.token, 'Evented');
    const product = await createProduct(stack, admin.token, { name: 'Evented Lamp', price: 4200, currency: 'EUR', categoryId: category.id });
    const update = await stack.gql(UPDATE_PRODUCT, { id: product.id, input: { name: 'Evented Lamp II', price: 5000, currency: 'USD', categoryId: null } }, admin.token);
    expect(update.errors).toBeUndefined();

    const created = (await published('catalog.product.created')).filter((p) => (p.event.data as any).productId === product.id);
    expect(created).toHaveLength(1);
    expect(created[0].msgId).toBe(created[0].event.id);
    expect(created[0].event).toEqual({
      id: expect.any(String), type: 'catalog.product.created', occurredAt: expect.any(String),
      data: { productId: product.id, slug: 'evented-lamp', name: 'Evented Lamp', price: { amount: 4200, currency: 'EUR' }, categoryId: category.id },
    });
    const updated = (await published('catalog.product.updated')).filter((p) => (p.event.data as any).productId === product.id);
    expect(updated.map((p) => p.event.data)).toEqual([
      { productId: product.id, slug: 'evented-lamp', name: 'Evented Lamp II', price: { amount: 5000, currency: 'USD' }, categoryId: null },
    ]);
  });

  it('records nothing for refused mutations', async () => {
    const before = (await published('catalog.product.created')).length + (await published('catalog.product.updated')).length;
    const customer = await registerUser(stack);
    const product = await createProduct(stack, admin.token, { name: 'Quiet', price: 1, currency: 'EUR' });
    await stack.gql(CREATE_PRODUCT, { input: { name: 'Nope', price: 1, currency: 'EUR' } }, customer.token);
    await stack.gql(CREATE_PRODUCT, { input: { name: 'Nope', price: -1, currency: 'EUR' } }, admin.token);
    await stack.gql(CREATE_PRODUCT, { input: { name: 'Nope', slug: 'quiet', price: 1, currency: 'EUR' } }, admin.token);
    await stack.gql(UPDATE_PRODUCT, { id: product.id, input: { name: 'Nope', price: 1, currency: 'NOPE' } }, admin.token);
    const after = (await published('catalog.product.created')).length + (await published('catalog.product.updated')).length;
    expect(after).toBe(before + 1);
  });
});
