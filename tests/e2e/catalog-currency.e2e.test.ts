import { startStack, Stack } from '../support/stack';
import { TestUser, userWithRole } from '../support/users';
import { SET_RATE, allPages, createCategory, createProduct, expectClientError, productsPage, setRate } from '../support/catalog';

const PRICE = `query($id: ID!, $c: String) { product(id: $id) { price(currency: $c) { amount currency } } }`;

let stack: Stack;
let admin: TestUser;
beforeAll(async () => {
  stack = await startStack(['accounts', 'catalog']);
  admin = await userWithRole(stack, 'ADMIN');
});
afterAll(async () => { await stack?.stop(); });

async function priceOf(id: string, currency?: string): Promise<{ amount: number; currency: string }> {
  const res = await stack.gql(PRICE, { id, c: currency });
  if (res.errors) throw new Error(JSON.stringify(res.errors));
  return res.data.product.price;
}

describe('exchange rates', () => {
  it('refuses bad codes, the base currency and non-positive or unusable rates', async () => {
    const cases: [string, number, string, string][] = [
      ['EURO', 1.1, 'currency', 'INVALID_CURRENCY'], ['ZZZ', 1.1, 'currency', 'INVALID_CURRENCY'], ['x'.repeat(5000), 1.1, 'currency', 'INVALID_CURRENCY'],
      ['EUR', 1, 'currency', 'BASE_CURRENCY_RATE'], ['USD', 0, 'rate', 'INVALID_RATE'], ['USD', -1.5, 'rate', 'INVALID_RATE'],
      ['USD', 1e-12, 'rate', 'INVALID_RATE'], ['USD', 1e12, 'rate', 'INVALID_RATE'],
    ];
    for (const [c, r, field, reason] of cases) {
      const res = await stack.gql(SET_RATE, { c, r }, admin.token);
      expectClientError(res, 'BAD_USER_INPUT');
      expect(res.errors![0].extensions).toMatchObject({ field, reason });
    }
    expect((await stack.gql(SET_RATE, { c: ' usd ', r: 1.1 }, admin.token)).data.setExchangeRate).toBe(true);
  });

  it('converts prices exactly, rounding half away from zero to the minor unit (JPY has none, KWD three)', async () => {
    await setRate(stack, admin.token, 'USD', 1.0832);
    await setRate(stack, admin.token, 'JPY', 161.5);
    await setRate(stack, admin.token, 'KWD', 0.3333);
    const scarf = await createProduct(stack, admin.token, { name: 'Scarf', price: 1999, currency: 'EUR' });
    expect(await priceOf(scarf.id)).toEqual({ amount: 1999, currency: 'EUR' });
    expect(await priceOf(scarf.id, 'EUR')).toEqual({ amount: 1999, currency: 'EUR' });
    expect(await priceOf(scarf.id, 'USD')).toEqual({ amount: 2165, currency: 'USD' }); // 21.653168
    expect(await priceOf(scarf.id, 'jpy')).toEqual({ amount: 3228, currency: 'JPY' }); // 3228.385
    expect(await priceOf(scarf.id, 'KWD')).toEqual({ amount: 6663, currency: 'KWD' }); // 6.662667

    // Exact halves go away from zero (banker's rounding would give 2 for 2.5).
    const cent = await createProduct(stack, admin.token, { name: 'Sticker', price: 1, currency: 'EUR' });
    await setRate(stack, admin.token, 'JPY', 150);
    expect(await priceOf(cent.id, 'JPY')).toEqual({ amount: 2, currency: 'JPY' }); // 1.5
    await setRate(stack, admin.token, 'JPY', 250);
    expect(await priceOf(cent.id, 'JPY')).toEqual({ amount: 3, currency: 'JPY' }); // 2.5

    // From a 0-decimal currency, and across two non-base currencies without rounding through EUR.
    await setRate(stack, admin.token, 'JPY', 150);
    await setRate(stack, admin.token, 'USD', 1.25);
    const tea = await createProduct(stack, admin.token, { name: 'Tea', price: 1000, currency: 'JPY' });
    expect(await priceOf(tea.id, 'EUR')).toEqual({ amount: 667, currency: 'EUR' }); // 666.67 cents
    const book = await createProduct(stack, admin.token, { name: 'Book', price: 1001, currency: 'USD' });
    expect(await priceOf(book.id, 'JPY')).toEqual({ amount: 1201, currency: 'JPY' }); // 1201.2

    // Rates keep 9 decimals exactly: 1,000,000 EUR at 1.123456789.
    await setRate(stack, admin.token, 'USD', 1.123456789);
    const car = await createProduct(stack, admin.token, { name: 'Car', price: 100_000_000, currency: 'EUR' });
    expect(await priceOf(car.id, 'USD')).toEqual({ amount: 112345679, currency: 'USD' });
  });

  it('refuses a currency without a rate or outside ISO 4217 with a clear BAD_USER_INPUT', async () => {
    const mug = await createProduct(stack, admin.token, { name: 'Mug', price: 800, currency: 'EUR' });
    const noRate = await stack.gql(PRICE, { id: mug.id, c: 'CHF' });
    expectClientError(noRate, 'BAD_USER_INPUT');
    expect(noRate.errors![0].extensions!.reason).toBe('NO_EXCHANGE_RATE');
    expect(noRate.errors![0].message).toMatch(/No exchange rate is known for CHF/);
    for (const c of ['XYZ', 'euro', '', '€']) {
      const res = await stack.gql(PRICE, { id: mug.id, c });
      expectClientError(res, 'BAD_USER_INPUT');
      expect(res.errors![0].extensions!.reason).toBe('INVALID_CURRENCY');
    }
  });

  it('filters and sorts by price in EUR across currencies; unconvertible prices never match and come last', async () => {
    await setRate(stack, admin.token, 'USD', 1.25);
    await setRate(stack, admin.token, 'JPY', 150);
    const shelf = (await createCategory(stack, admin.token, 'Currency Shelf')).id;
    const add = async (name: string, price: number, currency: string) =>
      (await createProduct(stack, admin.token, { name, price, currency, categoryId: shelf })).id;
    const euro = await add('Euro Item', 1000, 'EUR'); // 1000
    const dollar = await add('Dollar Item', 1300, 'USD'); // 1040
    const yen = await add('Yen Item', 1500, 'JPY'); // 1000
    const pound = await add('Pound Item', 500, 'GBP'); // no rate yet
    const tied = [euro, yen].sort();

    const inRange = async (minPrice: number, maxPrice: number) =>
      (await productsPage(stack, { filter: { categoryId: shelf, minPrice, maxPrice }, sort: 'PRICE_ASC' })).edges.map((e: any) => e.node.id);
    expect(await inRange(1001, 5000)).toEqual([dollar]);
    expect(await inRange(0, 1000)).toEqual(tied);
    const ids = async (sort: string) => (await allPages(stack, { filter: { categoryId: shelf }, sort }, 1)).nodes.map((n) => n.id);
    expect(await ids('PRICE_ASC')).toEqual([...tied, dollar, pound]);
    expect(await ids('PRICE_DESC')).toEqual([dollar, ...[...tied].reverse(), pound]);

    await setRate(stack, admin.token, 'GBP', 0.5); // 500 GBP pence = 1000 EUR cents
    expect(await inRange(1000, 1000)).toEqual([euro, pound, yen].sort());
    await setRate(stack, admin.token, 'USD', 1.3); // now exactly 1000
    expect(await inRange(1000, 1000)).toEqual([euro, dollar, pound, yen].sort());
  });
});
