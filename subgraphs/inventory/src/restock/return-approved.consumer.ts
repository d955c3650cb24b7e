import { ConsumerSpec } from '@shop/platform';
import { returnApprovedSchema } from './restock.validation';
import { restockReturn } from './restock.service';

/** returns.return.approved: the returned units are back on the shelf. */
export const returnApprovedConsumer: ConsumerSpec<'returns.return.approved'> = {
  name: 'inventory-return-approved',
  type: 'returns.return.approved',
  async handle(em, event, { log }) {
    const parsed = returnApprovedSchema.safeParse(event.data);
    // A malformed event would fail every redelivery; there is nothing to restock.
    if (!parsed.success) {
      log.error({ eventId: event.id, issues: parsed.error.issues }, 'dropping a malformed returns.return.approved');
      return;
    }
    await restockReturn(em, parsed.data, log);
  },
};
