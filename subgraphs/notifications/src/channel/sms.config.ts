import { RecordingSmsProvider, SmsProvider } from './sms.channel';

/**
 * The SMS providers SMS_PROVIDER can name. A real one plugs in here: a class
 * implementing SmsProvider in src/channel/ (e.g. TwilioSmsProvider posting to
 * the Messages API), built from its own variables (TWILIO_ACCOUNT_SID,
 * TWILIO_AUTH_TOKEN, TWILIO_FROM), then SMS_PROVIDER=twilio.
 */
const PROVIDERS: Record<string, (env: NodeJS.ProcessEnv) => SmsProvider> = {
  recording: () => new RecordingSmsProvider(),
};

/** The provider SMS_PROVIDER names, or null (unset: no SMS channel, e-mail only). */
export function smsProviderFromEnv(env: NodeJS.ProcessEnv = process.env): SmsProvider | null {
  const name = env.SMS_PROVIDER;
  if (!name) return null;
  const build = PROVIDERS[name];
  if (!build) throw new Error(`Unknown SMS_PROVIDER "${name}" (known: ${Object.keys(PROVIDERS).join(', ')})`);
  return build(env);
}
