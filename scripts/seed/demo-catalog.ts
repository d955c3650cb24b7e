/** The demo catalog `npm start` seeds: categories, 60 products with stock, and two exchange rates. */
export const DEMO_RATES: { currency: string; rate: number }[] = [
  { currency: 'USD', rate: 1.08 },
  { currency: 'GBP', rate: 0.85 },
];

export const DEMO_CATEGORIES: { name: string; children: string[] }[] = [
  { name: 'Clothing', children: ['Shirts', 'Jackets'] },
  { name: 'Home', children: ['Kitchen', 'Lighting'] },
  { name: 'Outdoors', children: ['Camping'] },
];

const MATERIALS = ['Linen', 'Wool', 'Oak', 'Copper', 'Canvas', 'Ceramic'];
const ITEMS: Record<string, string[]> = {
  Shirts: ['Shirt', 'Polo'],
  Jackets: ['Jacket', 'Vest'],
  Kitchen: ['Mug', 'Bowl'],
  Lighting: ['Lamp', 'Lantern'],
  Camping: ['Tent', 'Backpack'],
};

export interface DemoProduct { name: string; description: string; category: string; price: number; currency: string; stock: number }

/** 60 products: every material × item pair, priced and stocked deterministically. */
export function demoProducts(): DemoProduct[] {
  const products: DemoProduct[] = [];
  let n = 0;
  for (const [category, items] of Object.entries(ITEMS)) {
    for (const item of items) {
      for (const material of MATERIALS) {
        n += 1;
        products.push({
          name: `${material} ${item}`,
          description: `A ${item.toLowerCase()} made of ${material.toLowerCase()}, built to last. Part of the ${category.toLowerCase()} range.`,
          category,
          price: 990 + ((n * 1373) % 15000),
          currency: n % 10 === 0 ? 'USD' : 'EUR',
          stock: n % 12 === 0 ? 0 : (n * 7) % 40 + 3,
        });
      }
    }
  }
  return products;
}
