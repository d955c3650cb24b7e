import { z } from '@shop/platform';

export const emailSchema = z.string().trim().toLowerCase().max(254, 'Email is too long').pipe(z.email('Not a valid email address'));

export const passwordSchema = z.string()
  .min(8, 'Password must have at least 8 characters')
  .max(128, 'Password may have at most 128 characters')
  .regex(/[A-Za-z]/, 'Password must contain a letter')
  .regex(/[0-9]/, 'Password must contain a digit');

export const nameSchema = z.string().trim().min(1, 'Name is required').max(100, 'Name may have at most 100 characters');

export const registerSchema = z.object({ email: emailSchema, password: passwordSchema, name: nameSchema });

export const addressSchema = z.object({
  name: nameSchema,
  line1: z.string().trim().min(1, 'Required').max(200, 'At most 200 characters'),
  line2: z.string().trim().max(200, 'At most 200 characters').nullish(),
  city: z.string().trim().min(1, 'Required').max(100, 'At most 100 characters'),
  postalCode: z.string().trim().min(1, 'Required').max(20, 'At most 20 characters'),
  country: z.string().trim().toUpperCase().regex(/^[A-Z]{2}$/, 'Use an ISO 3166-1 alpha-2 country code, e.g. FR'),
});
