import { newId } from '@shop/platform';
import { startStack, Stack } from '../support/stack';
import { codes } from '../support/graphql-client';
import { registerUser, TestUser, userWithRole } from '../support/users';
import { eventually } from '../support/eventually';
import { outboxRelayed, publish } from '../support/events';
import { orderPayment, paymentsSql, placeOrder, reserved } from '../support/payments';

let stack: Stack;
let owner: TestUser;
let other: TestUser;
let admin: TestUser;
let paid: string;
let unpaid: string;
const many: string[] = [];

beforeAll(async () => {
  stack = await startStack(['accounts', 'payments']);
  [owner, other, admin] = await Promise.all([registerUser(stack), registerUser(stack), userWithRole(stack, 'ADMIN')]);
  paid = await placeOrder(stack, owner.id, 'tok_visa', 1234);
  unpaid = await placeOrder(stack, owner.id, 'tok_visa');
  many.push(...await Promise.all(Array.from({ length: 49 }, () => placeOrder(stack, newId(), 'tok_chargeDeclined'))));
  for (const orderId of [paid, ...many]) await publish(stack, 'inventory.stock.reserved', reserved(orderId));
  // Every payment is made and its event relayed: no event handling runs while statements are counted.
  await eventually(async () => (await paymentsSql(stack, 'SELECT count(*)::int AS n FROM payments'))[0].n === 50, 'all payments made', 30_000);
  await outboxRelayed(stack, 'payments');
}, 120_000);
afterAll(async () => { await stack?.stop(); });

describe('who may read Order.payment, straight at the payments subgraph', () => {
  it('shows the payment to the order\'s customer and to ADMINs', async () => {
    for (const user of [owner, admin]) {
      const res = await orderPayment(stack, [paid], user.token);
      expect(res.errors).toBeUndefined();
      expect(res.data._entities[0].payment).toMatchObject({ status: 'AUTHORIZED', amount: { amount: 1234, currency: 'EUR' }, failureReason: null });
    }
  });

  it('refuses another customer with FORBIDDEN and an anonymous caller with UNAUTHENTICATED', async () => {
    const asOther = await orderPayment(stack, [paid], other.token);
    expect(codes(asOther)).toEqual(['FORBIDDEN']);
    expect(asOther.data._entities[0]).toEqual({ id: paid, payment: null });
    const anonymous = await orderPayment(stack, [paid]);
    expect(codes(anonymous)).toEqual(['UNAUTHENTICATED']);
    expect(JSON.stringify(anonymous.data)).not.toContain('AUTHORIZED');
    expect(codes(await orderPayment(stack, [paid], 'forged.token.value'))).toEqual(['UNAUTHENTICATED']);
  });

  it('answers null while an order has no payment, and for ids that cannot name one', async () => {
    const res = await orderPayment(stack, [unpaid, 'not-an-id'], owner.token);
    expect(res.errors).toBeUndefined();
    expect(res.data._entities).toEqual([{ id: unpaid, payment: null }, null]);
  });

  it('loads the payments of 50 orders in as many statements as of 1', async () => {
    const payments = stack.subgraphs.payments!;
    // The outbox relay polls on the same connection pool; pause it so only the request is counted.
    await payments.relay!.stop();
    try {
      const statementsFor = async (orderIds: string[]): Promise<number> => {
        const before = payments.statements.count;
        const res = await orderPayment(stack, orderIds, admin.token);
        expect(res.errors).toBeUndefined();
        expect(res.data._entities.filter((e: any) => e.payment)).toHaveLength(orderIds.length);
        return payments.statements.count - before;
      };
      const one = await statementsFor([paid]);
      expect(one).toBe(1);
      expect(await statementsFor([paid, ...many])).toBe(one);
    } finally {
      payments.relay!.start();
    }
  });
});
