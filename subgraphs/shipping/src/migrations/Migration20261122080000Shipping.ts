import { Migration } from '@mikro-orm/migrations';

/** Ids of the seeded methods: fixed, so every deployment (and every test) names them alike. */
export const SHIPPING_METHOD_IDS = {
  euStandard: '8554becb-a9eb-4a7d-8138-374bf224e276',
  euExpress: 'e6d5efa0-b4be-4790-96cf-8d54141662e1',
  usStandard: '693658ed-d9de-4882-9d00-93a41c328635',
  international: '3385e11a-932d-43ae-8cf8-93c693fff9f9',
} as const;

/** The 27 member states of the European Union. */
const EU = ['AT', 'BE', 'BG', 'HR', 'CY', 'CZ', 'DK', 'EE', 'FI', 'FR', 'DE', 'GR', 'HU', 'IE', 'IT', 'LV', 'LT', 'LU', 'MT',
  'NL', 'PL', 'PT', 'RO', 'SK', 'SI', 'ES', 'SE'];
const EU_ARRAY = `ARRAY[${EU.map((c) => `'${c}'`).join(', ')}]`;

export class Migration20261122080000Shipping extends Migration {
  override async up(): Promise<void> {
    this.addSql(`CREATE TABLE shipping_methods (
      id uuid PRIMARY KEY,
      code varchar(50) NOT NULL,
      name varchar(100) NOT NULL,
      price_amount integer NOT NULL CHECK (price_amount >= 0),
      price_currency char(3) NOT NULL,
      min_days integer NOT NULL CHECK (min_days >= 0),
      max_days integer NOT NULL,
      countries text[] NOT NULL CHECK (cardinality(countries) > 0),
      position integer NOT NULL,
      created_at timestamptz NOT NULL,
      CHECK (max_days >= min_days)
    )`);
    this.addSql('CREATE UNIQUE INDEX shipping_methods_code_unique ON shipping_methods (code)');
    this.addSql('CREATE INDEX shipping_methods_countries_idx ON shipping_methods USING gin (countries)');
    const ids = SHIPPING_METHOD_IDS;
    this.addSql(`INSERT INTO shipping_methods (id, code, name, price_amount, price_currency, min_days, max_days, countries, position, created_at) VALUES
      ('${ids.euStandard}', 'eu-standard', 'Standard', 499, 'EUR', 3, 5, ${EU_ARRAY}, 1, now()),
      ('${ids.euExpress}', 'eu-express', 'Express', 1499, 'EUR', 1, 2, ${EU_ARRAY}, 2, now()),
      ('${ids.usStandard}', 'us-standard', 'Standard', 799, 'USD', 3, 7, ARRAY['US'], 3, now()),
      ('${ids.international}', 'international', 'International', 2499, 'EUR', 7, 14, ARRAY['*'], 4, now())`);
  }

  override async down(): Promise<void> {
    this.addSql('DROP TABLE shipping_methods');
  }
}
