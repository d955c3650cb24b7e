export { payments, paymentProvider, createPayments } from './definition';
export type { PaymentProvider, AuthorizationRequest, AuthorizationResult } from './provider/payment-provider';
export { TestPaymentProvider } from './provider/test-payment-provider';
export type { ProviderCall, TestCharge, TestRefund } from './provider/test-payment-provider';
export { captureOrderPayment } from './payment/capture.service';
