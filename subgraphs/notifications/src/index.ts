export { notifications, createNotifications } from './definition';
export type { NotificationsOptions } from './definition';
export type { NotificationChannel, OutgoingMessage } from './channel/notification-channel';
export { RecordingSmsProvider } from './channel/sms.channel';
export type { SmsProvider } from './channel/sms.channel';
export { formatMoney } from './template/money-format';
