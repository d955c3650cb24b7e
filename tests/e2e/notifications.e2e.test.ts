import { newId, startSubgraph } from '@shop/platform';
import { subgraphDefinitions } from '../../subgraphs';
import { startStack, Stack } from '../support/stack';
import { TestUser, registerUser, userWithRole } from '../support/users';
import { consumerCaughtUp, publish, redeliver, storedEventsOf } from '../support/events';
import { subgraphSql } from '../support/database';
import { eventually } from '../support/eventually';
import {
  NOTIFICATIONS, PREFERENCES, SET_PREFERENCES, cancelled, confirmed, delivered, mailTo, mailsTo, refunded, rejected, shipped, tokenFor,
} from '../support/notifications';

let stack: Stack;
beforeAll(async () => { stack = await startStack(['accounts', 'notifications']); });
afterAll(async () => { await stack?.stop(); });

let seq = 0;
const orderNumber = () => `SHOP-${String(Date.now() % 1e6 + ++seq).padStart(6, '0')}`;

/** A registered customer whose welcome mail has arrived (so notifications knows them). */
async function customer(name = 'Ada Lovelace'): Promise<TestUser> {
  const user = await registerUser(stack, name);
  await mailTo(stack, user.email, 'Welcome');
  return user;
}

async function notificationsOf(token: string | null, first?: number) {
  return stack.gql(NOTIFICATIONS, first === undefined ? {} : { first }, token);
}

describe('welcome mail', () => {
  it('is received by the SMTP server and listed by notifications', async () => {
    const user = await registerUser(stack, 'Grace Hopper');
    const mail = await mailTo(stack, user.email, 'Welcome');
    expect(mail.subject).toBe('Welcome to the shop, Grace Hopper');
    expect(mail.from).toBe('no-reply@shop.local');
    expect(mail.text).toContain('Hello Grace Hopper,');
    expect(mail.text).toContain(user.email);

    const res = await eventually(async () => {
      const r = await notificationsOf(user.token);
      return r.data?.notifications?.length === 1 ? r : null;
    }, 'welcome listed');
    const [listed] = res.data.notifications;
    expect(listed).toMatchObject({ channel: 'email', template: 'welcome', subject: mail.subject });
    expect(listed.body.trim()).toBe(mail.text.trim());
    expect(new Date(listed.sentAt).getTime()).toBeGreaterThan(Date.now() - 60_000);
  });
});

describe('order and return mails', () => {
  it('sends one mail per event with its content', async () => {
    const user = await customer();
    const number = orderNumber();
    await publish(stack, 'orders.order.confirmed', confirmed(user.id, number, 4199));
    await publish(stack, 'orders.order.cancelled', cancelled(user.id, number, 'Your card was declined'));
    await publish(stack, 'shipping.shipment.shipped', shipped(user.id, number, 'DHL', 'JD014600006281230704'));
    await publish(stack, 'orders.order.delivered', delivered(user.id, number, 4199));
    await publish(stack, 'returns.return.refunded', refunded(user.id, number, { amount: 1999, currency: 'JPY' }));
    await publish(stack, 'returns.return.rejected', rejected(user.id, number, 'The item was used'));

    const confirmedMail = await mailTo(stack, user.email, `Order ${number} confirmed`);
    expect(confirmedMail.text).toContain('Total: EUR 41.99');
    expect(confirmedMail.text).toContain('- 2 x Blue mug at EUR 12.50');
    const cancelledMail = await mailTo(stack, user.email, `Order ${number} cancelled`);
    expect(cancelledMail.text).toContain('Reason: Your card was declined');
    const shippedMail = await mailTo(stack, user.email, `Order ${number} is on its way`);
    expect(shippedMail.text).toContain('Carrier: DHL');
    expect(shippedMail.text).toContain('Tracking number: JD014600006281230704');
    const deliveredMail = await mailTo(stack, user.email, `Order ${number} delivered`);
    expect(deliveredMail.text).toContain('EUR 41.99');
    expect(deliveredMail.text).toContain(`within ${stack.config.returnWindowDays} days`);
    const refundedMail = await mailTo(stack, user.email, `Refund for your return of order ${number}`);
    expect(refundedMail.text).toContain('we refunded JPY 1999');
    const rejectedMail = await mailTo(stack, user.email, `Your return of order ${number} was not accepted`);
    expect(rejectedMail.text).toContain('Reason: The item was used');

    for (const consumer of ['order-confirmed', 'order-cancelled', 'shipment-shipped', 'order-delivered', 'return-refunded', 'return-rejected']) {
      await consumerCaughtUp(stack, `notifications-${consumer}`);
    }
    expect(mailsTo(stack, user.email).map((m) => m.subject).sort()).toEqual([
      `Order ${number} cancelled`, `Order ${number} confirmed`, `Order ${number} delivered`, `Order ${number} is on its way`,
      `Refund for your return of order ${number}`, 'Welcome to the shop, Ada Lovelace', `Your return of order ${number} was not accepted`,
    ]);
    const listed = (await notificationsOf(user.token)).data.notifications;
    expect(listed.map((n: any) => n.template).sort()).toEqual([
      'order-cancelled', 'order-confirmed', 'order-delivered', 'order-shipped', 'return-refunded', 'return-rejected', 'welcome',
    ]);
  });

  it('sends one mail when the same event is delivered again', async () => {
    const user = await customer();
    const number = orderNumber();
    const event = await publish(stack, 'orders.order.confirmed', confirmed(user.id, number));
    await mailTo(stack, user.email, `Order ${number} confirmed`);
    await consumerCaughtUp(stack, 'notifications-order-confirmed');

    // Two more copies in the stream: the handler runs for each (it keeps no inbox row), the claim stops the send.
    const copies = (await storedEventsOf(stack, 'orders.order.confirmed')).filter((e) => e.event.id === event.id);
    await redeliver(stack, [...copies, ...copies]);
    await eventually(async () => (await storedEventsOf(stack, 'orders.order.confirmed')).filter((e) => e.event.id === event.id).length === 3,
      'copies stored');
    await consumerCaughtUp(stack, 'notifications-order-confirmed');

    expect(mailsTo(stack, user.email).filter((m) => m.subject === `Order ${number} confirmed`)).toHaveLength(1);
    expect(await subgraphSql(stack, 'notifications', 'SELECT sent_at FROM notifications WHERE event_id = ?', [event.id])).toHaveLength(1);
  });

  it('retries a mail the SMTP server refused, and sends it once', async () => {
    const user = await customer();
    const number = orderNumber();
    let refusals = 0;
    stack.mail.refuse((address) => address === user.email.toLowerCase() && ++refusals > 0);
    const event = await publish(stack, 'orders.order.confirmed', confirmed(user.id, number));
    // Refused twice: the first attempt failed and the event came back.
    await eventually(() => refusals >= 2, 'a second attempt');
    // A failed send leaves no claim behind: between two attempts (the retries back off) nothing holds the event.
    try {
      await eventually(async () => (await subgraphSql(stack, 'notifications', 'SELECT 1 FROM notifications WHERE event_id = ?', [event.id])).length === 0,
        'no claim left between attempts');
      expect(mailsTo(stack, user.email).filter((m) => m.subject.includes(number))).toHaveLength(0);
    } finally {
      stack.mail.refuse(null);
    }
    await mailTo(stack, user.email, `Order ${number} confirmed`);
    await consumerCaughtUp(stack, 'notifications-order-confirmed');
    expect(mailsTo(stack, user.email).filter((m) => m.subject.includes(number))).toHaveLength(1);
  });

  it('sends one mail per event with two replicas on the same database and events', async () => {
    const user = await customer();
    const replica = await startSubgraph(subgraphDefinitions.notifications!, stack.config, { port: 0, host: '127.0.0.1' });
    const [main, startedWith] = [stack.subgraphs.notifications!.statements, replica.statements.count];
    const mainBefore = main.count;
    try {
      const numbers = Array.from({ length: 12 }, orderNumber);
      const events = [];
      for (const number of numbers) events.push(await publish(stack, 'orders.order.confirmed', confirmed(user.id, number)));
      // Copies without a message id: the stream keeps them, and either replica may get each one.
      const ids = new Set(events.map((e) => e.id));
      await redeliver(stack, (await storedEventsOf(stack, 'orders.order.confirmed')).filter((e) => ids.has(e.event.id)));
      for (const number of numbers) await mailTo(stack, user.email, `Order ${number} confirmed`);
      await consumerCaughtUp(stack, 'notifications-order-confirmed');
      for (const number of numbers) {
        expect(mailsTo(stack, user.email).filter((m) => m.subject === `Order ${number} confirmed`)).toHaveLength(1);
      }
      // Both took part: each ran statements for some of the events.
      expect(replica.statements.count).toBeGreaterThan(startedWith);
      expect(main.count).toBeGreaterThan(mainBefore);
    } finally {
      await replica.stop();
    }
    // Stopping one replica leaves the other's SMTP pool open.
    const after = orderNumber();
    await publish(stack, 'orders.order.confirmed', confirmed(user.id, after));
    await mailTo(stack, user.email, `Order ${after} confirmed`);
  });

  it('skips events for a user it does not know, and malformed ones', async () => {
    const stranger = newId();
    const number = orderNumber();
    await publish(stack, 'orders.order.confirmed', confirmed(stranger, number), { occurredAt: new Date(Date.now() - 10 * 60_000) });
    await publish(stack, 'orders.order.confirmed', { ...confirmed(newId(), orderNumber()), currency: 'EURO' });
    await consumerCaughtUp(stack, 'notifications-order-confirmed');
    expect(await subgraphSql(stack, 'notifications', 'SELECT 1 FROM notifications WHERE user_id = ?', [stranger])).toHaveLength(0);
    expect(stack.mail.messages.filter((m) => m.subject.includes(number))).toHaveLength(0);
  });
});

describe('preferences', () => {
  it('turns order mails off and on; the welcome mail is always sent', async () => {
    const userId = newId();
    const email = `prefs.${Date.now()}@example.com`;
    const token = await tokenFor(stack, userId);
    expect((await stack.gql(PREFERENCES, {}, token)).data.notificationPreferences).toEqual({ orderEmails: true });
    expect((await stack.gql(SET_PREFERENCES, { on: false }, token)).data.setNotificationPreferences).toEqual({ orderEmails: false });
    expect((await stack.gql(PREFERENCES, {}, token)).data.notificationPreferences).toEqual({ orderEmails: false });

    await publish(stack, 'accounts.user.registered', { userId, email, name: 'Quiet Customer' });
    await mailTo(stack, email, 'Welcome to the shop, Quiet Customer');

    const silent = orderNumber();
    await publish(stack, 'orders.order.confirmed', confirmed(userId, silent));
    await publish(stack, 'shipping.shipment.shipped', shipped(userId, silent, 'UPS', '1Z999AA10123456784'));
    await consumerCaughtUp(stack, 'notifications-order-confirmed');
    await consumerCaughtUp(stack, 'notifications-shipment-shipped');
    expect(mailsTo(stack, email).map((m) => m.subject)).toEqual(['Welcome to the shop, Quiet Customer']);

    await stack.gql(SET_PREFERENCES, { on: true }, token);
    const loud = orderNumber();
    await publish(stack, 'orders.order.confirmed', confirmed(userId, loud));
    await mailTo(stack, email, `Order ${loud} confirmed`);
    expect(mailsTo(stack, email).filter((m) => m.subject.includes(silent))).toHaveLength(0);
  });

  it('answers UNAUTHENTICATED to anonymous callers', async () => {
    for (const [query, variables] of [[PREFERENCES, {}], [SET_PREFERENCES, { on: false }]] as const) {
      const res = await stack.gql(query, variables, null);
      expect(res.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    }
  });
});

describe('notifications query', () => {
  let alice: TestUser;
  let bob: TestUser;
  beforeAll(async () => {
    [alice, bob] = [await customer('Alice'), await customer('Bob')];
    await eventually(async () => (await notificationsOf(bob.token)).data?.notifications?.length === 1, 'bob listed');
  });

  it('lists only the caller\'s own messages, newest first', async () => {
    const number = orderNumber();
    await publish(stack, 'orders.order.confirmed', confirmed(alice.id, number));
    await mailTo(stack, alice.email, `Order ${number} confirmed`);
    const own = await eventually(async () => {
      const list = (await notificationsOf(alice.token)).data?.notifications;
      return list?.length === 2 ? list : null;
    }, 'alice has two');
    expect(own.map((n: any) => n.template)).toEqual(['order-confirmed', 'welcome']);
    expect(own.every((n: any) => !n.subject.includes('Bob'))).toBe(true);
    expect((await notificationsOf(alice.token, 1)).data.notifications.map((n: any) => n.template)).toEqual(['order-confirmed']);
  });

  it('shows an ADMIN everyone\'s messages', async () => {
    const admin = await userWithRole(stack, 'ADMIN');
    const subjects = (await notificationsOf(admin.token, 100)).data.notifications.map((n: any) => n.subject);
    expect(subjects).toEqual(expect.arrayContaining(['Welcome to the shop, Alice', 'Welcome to the shop, Bob']));
  });

  it('refuses anonymous callers and pages over 100', async () => {
    const anonymous = await notificationsOf(null);
    expect(anonymous.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(anonymous.data).toBeNull();
    const tooMany = await notificationsOf(alice.token, 101);
    expect(tooMany.errors?.[0]).toMatchObject({ message: '`first` may be at most 100', extensions: { code: 'BAD_USER_INPUT' } });
  });
});
