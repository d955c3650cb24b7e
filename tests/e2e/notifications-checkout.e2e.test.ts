import { startStack, Stack } from '../support/stack';
import { registerUser, userWithRole, TestUser } from '../support/users';
import { ADDRESS, CHECKOUT, addToCart, must, productWithStock, settledOrder, shippingMethodId } from '../support/shop';
import { mailTo } from '../support/notifications';

// The mails of real orders: the events come from orders itself, not from the test.
let stack: Stack;
let admin: TestUser;
let methodId: string;

beforeAll(async () => {
  stack = await startStack();
  admin = await userWithRole(stack, 'ADMIN');
  methodId = await shippingMethodId(stack);
});
afterAll(async () => { await stack?.stop(); });

async function checkout(paymentToken: string, key: string): Promise<{ customer: TestUser; order: any }> {
  const productId = await productWithStock(stack, admin, 2500, 10, `Mailed product ${key}`);
  const customer = await registerUser(stack, 'Checkout Customer');
  await mailTo(stack, customer.email, 'Welcome');
  const { cart } = await addToCart(stack, { productId, quantity: 2 }, customer.token);
  const placed = await must(stack, CHECKOUT, {
    i: { cartId: cart.id, shippingAddress: ADDRESS, shippingMethodId: methodId, paymentToken, idempotencyKey: key },
  }, customer.token);
  const order = await settledOrder(stack, placed.checkout.order.id, customer.token);
  return { customer, order: { ...placed.checkout.order, ...order } };
}

describe('mails of a checkout', () => {
  it('confirms a paid order with its number, lines and total', async () => {
    const { customer, order } = await checkout('tok_visa', 'mail-paid');
    expect(order.status).toBe('CONFIRMED');
    const mail = await mailTo(stack, customer.email, `Order ${order.number} confirmed`);
    expect(mail.text).toContain('- 2 x Mailed product mail-paid at EUR 25.00');
    expect(mail.text).toContain('Total: EUR 54.99');
  });

  it('names the order and the reason when a declined payment cancels it', async () => {
    const { customer, order } = await checkout('tok_chargeDeclined', 'mail-declined');
    expect(order.status).toBe('CANCELLED');
    const mail = await mailTo(stack, customer.email, `Order ${order.number} cancelled`);
    expect(mail.text).toContain(`Reason: ${order.cancellationReason}`);
  });
});
