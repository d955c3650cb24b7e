import { SubgraphContext } from '@shop/platform';

/** None: each field is one statement per request, with nothing to batch. */
export type NotificationsLoaders = Record<string, never>;

export type NotificationsContext = SubgraphContext<NotificationsLoaders>;

export function createLoaders(): NotificationsLoaders {
  return {};
}
