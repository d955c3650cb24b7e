import { RunningSubgraph, databaseName, dropDatabase, newId, startSubgraph } from '@shop/platform';
import { RecordingSmsProvider, createNotifications } from '@shop/notifications';
import { startStack, Stack } from '../support/stack';
import { consumerCaughtUp, publish, redeliver, storedEventsOf } from '../support/events';
import { eventually } from '../support/eventually';
import { mailTo, shipped } from '../support/notifications';

// Notifications with an SMS provider, on the stack's events and SMTP server (the stack itself runs no notifications).
const sms = new RecordingSmsProvider();
let stack: Stack;
let notifications: RunningSubgraph;
beforeAll(async () => {
  stack = await startStack(['accounts']);
  notifications = await startSubgraph(createNotifications({ sms }), stack.config, { port: 0, host: '127.0.0.1' });
});
afterAll(async () => {
  await notifications?.stop();
  await stack?.stop();
  if (stack) await dropDatabase(stack.config, databaseName(stack.config, 'notifications'));
});

describe('SMS channel', () => {
  it('texts the subject line to recipients with a phone number, once per event, besides the mail', async () => {
    const userId = newId();
    const email = `sms.${Date.now()}@example.com`;
    await publish(stack, 'accounts.user.registered', { userId, email, name: 'Texted Customer', phone: '+4915112345678' });
    await mailTo(stack, email, 'Welcome to the shop, Texted Customer');
    await eventually(() => sms.sent.some((t) => t.to === '+4915112345678'), 'welcome text');

    const event = await publish(stack, 'shipping.shipment.shipped', shipped(userId, 'SHOP-900001', 'DHL', 'JD0001'));
    await mailTo(stack, email, 'Order SHOP-900001 is on its way');
    await eventually(() => sms.sent.some((t) => t.text === 'Order SHOP-900001 is on its way'), 'shipped text');
    await redeliver(stack, (await storedEventsOf(stack, 'shipping.shipment.shipped')).filter((e) => e.event.id === event.id));
    await consumerCaughtUp(stack, 'notifications-shipment-shipped');

    expect(sms.sent).toEqual([
      { to: '+4915112345678', text: 'Welcome to the shop, Texted Customer' },
      { to: '+4915112345678', text: 'Order SHOP-900001 is on its way' },
    ]);
    const rows = await notifications.orm.em.fork().getConnection().execute(
      'SELECT channel, template, recipient, body FROM notifications WHERE user_id = ? AND sent_at IS NOT NULL ORDER BY sent_at, channel', [userId]);
    expect(rows.map((r: any) => `${r.template}/${r.channel}`).sort()).toEqual(['order-shipped/email', 'order-shipped/sms', 'welcome/email', 'welcome/sms']);
    expect(rows.find((r: any) => r.channel === 'sms' && r.template === 'order-shipped')).toMatchObject({
      recipient: '+4915112345678', body: 'Order SHOP-900001 is on its way',
    });
  });

  it('sends no text to a recipient without a phone number', async () => {
    const userId = newId();
    const email = `nosms.${Date.now()}@example.com`;
    const before = sms.sent.length;
    await publish(stack, 'accounts.user.registered', { userId, email, name: 'Mail Only' });
    await mailTo(stack, email, 'Welcome to the shop, Mail Only');
    await consumerCaughtUp(stack, 'notifications-user-registered');
    expect(sms.sent).toHaveLength(before);
  });
});
