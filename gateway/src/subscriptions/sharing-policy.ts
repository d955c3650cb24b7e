import { DocumentNode, GraphQLSchema, Kind, TypeInfo, visit, visitWithTypeInfo } from 'graphql';

/**
 * What the answer of a field depends on, given the object it is read from:
 * nothing (`public`), the caller's role (`role`), or who the caller is (`user`).
 */
export type Dependence = 'public' | 'role' | 'user';

const ORDER_OF: Record<Dependence, number> = { public: 0, role: 1, user: 2 };

/**
 * Root fields whose stream may be shared by several subscribers, with what
 * the right to subscribe depends on. A root field not listed here runs one
 * upstream operation per subscriber: `orderUpdated` starts with a snapshot
 * of the order for each subscriber and answers only its owner.
 */
const SHAREABLE_ROOTS: Record<string, Dependence> = {
  'Subscription.stockChanged': 'public', // anyone may subscribe (inventory)
  'Subscription.ordersUpdated': 'role', // requireRole(ADMIN, PARTNER) in orders, nothing per user
};

/**
 * Fields read the same way by every caller who reached their parent, as the
 * owning subgraph authorizes them. Every field not listed counts as `user`
 * (shared only between connections of one user), so a field added to the
 * schema is never shared across callers until someone has checked it here.
 */
const FIELDS: Record<string, Dependence> = {};
const declare = (type: string, dependence: Dependence, fields: string[]) => {
  for (const field of fields) FIELDS[`${type}.${field}`] = dependence;
};
// catalog, inventory and reviews serve products, prices, categories and ratings to anyone.
declare('Product', 'public', ['id', 'slug', 'name', 'description', 'category', 'price', 'createdAt', 'stock', 'rating', 'reviewCount']);
declare('Category', 'public', ['id', 'slug', 'name', 'parent', 'children']);
declare('Money', 'public', ['amount', 'currency']);
declare('StockLevel', 'public', ['productId', 'available', 'inStock']);
// inventory answers these to ADMINs only (stock.adminCount): the same for every ADMIN.
declare('StockLevel', 'role', ['onHand', 'reserved']);
// orders resolves these from the order itself, with no check of its own: whoever got the order reads them alike.
declare('Order', 'public', [
  'id', 'number', 'status', 'customer', 'lines', 'currency', 'subtotal', 'discount', 'shippingTotal', 'total',
  'shippingAddress', 'cancellationReason', 'statusHistory', 'placedAt',
]);
declare('OrderLine', 'public', ['id', 'product', 'quantity', 'unitPrice', 'lineTotal']);
declare('OrderStatusChange', 'public', ['status', 'at', 'reason']);
declare('Address', 'public', ['id', 'name', 'line1', 'line2', 'city', 'postalCode', 'country']);
declare('User', 'public', ['id']);

/** How a subscription may be shared: not at all, or between callers alike in what `dependsOn` names. */
export type Sharing = { shared: false } | { shared: true; dependsOn: Dependence };

/**
 * The sharing a validated subscription document allows: the strongest
 * dependence of its root field and of every field it selects (fragments
 * included, used or not, which can only make it stricter).
 */
export function sharingOf(schema: GraphQLSchema, document: DocumentNode): Sharing {
  const typeInfo = new TypeInfo(schema);
  const root = schema.getSubscriptionType()?.name;
  let dependsOn: Dependence = 'public';
  let shareable = true;
  visit(document, visitWithTypeInfo(typeInfo, {
    [Kind.FIELD](node) {
      if (node.name.value.startsWith('__')) return; // __typename: the same for all
      const parent = typeInfo.getParentType()?.name;
      const coordinate = `${parent}.${node.name.value}`;
      const level = parent === root ? SHAREABLE_ROOTS[coordinate] : (FIELDS[coordinate] ?? 'user');
      if (!level) { shareable = false; return; }
      if (ORDER_OF[level] > ORDER_OF[dependsOn]) dependsOn = level;
    },
  }));
  return shareable ? { shared: true, dependsOn } : { shared: false };
}
