import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import Handlebars from 'handlebars';
import { Money } from '@shop/platform';
import { formatMoney } from './money-format';

interface Line { name: string; quantity: number; unitPrice: Money }

/** What each template is rendered with (besides `name`, the recipient's name, which every template gets). */
export interface TemplateData {
  welcome: { email: string };
  'order-confirmed': { number: string; total: Money; lines: Line[] };
  'order-cancelled': { number: string | null; reason: string };
  'order-shipped': { orderNumber: string; carrier: string; trackingNumber: string };
  'order-delivered': { number: string; total: Money; returnWindowDays: number };
  'return-refunded': { orderNumber: string; amount: Money };
  'return-rejected': { orderNumber: string; reason: string };
}

export type TemplateName = keyof TemplateData;

/** Templates about an order or a return: the ones a customer can turn off (`orderEmails`). */
export const ORDER_TEMPLATES: ReadonlySet<TemplateName> = new Set<TemplateName>([
  'order-confirmed', 'order-cancelled', 'order-shipped', 'order-delivered', 'return-refunded', 'return-rejected',
]);

export interface RenderedMessage { subject: string; body: string }

const NAMES: TemplateName[] = ['welcome', ...ORDER_TEMPLATES];

/** The templates folder of this package: `<name>.subject.hbs` and `<name>.text.hbs` per template. */
export const TEMPLATES_DIR = resolve(__dirname, '../../templates');

type Compiled = Record<TemplateName, { subject: HandlebarsTemplateDelegate; text: HandlebarsTemplateDelegate }>;

function compileAll(dir: string): Compiled {
  // An environment of its own, so helpers registered here never leak into another user of Handlebars.
  const hbs = Handlebars.create();
  hbs.registerHelper('money', (value: Money) => formatMoney(value));
  // Plain text: nothing to escape; strict, so a field a template names but the data lacks fails loudly.
  const options = { noEscape: true, strict: true };
  const read = (name: string, part: string) => hbs.compile(readFileSync(resolve(dir, `${name}.${part}.hbs`), 'utf8'), options);
  return Object.fromEntries(NAMES.map((name) => [name, { subject: read(name, 'subject'), text: read(name, 'text') }])) as Compiled;
}

/** Renders messages from the template files, compiled once when created. */
export class TemplateRenderer {
  private readonly compiled: Compiled;

  constructor(dir = TEMPLATES_DIR) {
    this.compiled = compileAll(dir);
  }

  render<T extends TemplateName>(name: T, data: TemplateData[T] & { name: string }): RenderedMessage {
    const template = this.compiled[name];
    // A subject is one line whatever the template's layout.
    const subject = template.subject(data).replace(/\s+/g, ' ').trim();
    return { subject, body: template.text(data) };
  }
}
