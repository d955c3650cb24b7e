import { PlatformConfig, SubgraphResources } from '@shop/platform';
import { NotificationChannel } from './notification-channel';

/**
 * The channels of one process, opened when a notifications subgraph starts
 * and closed when the last one running in the process stops (tests run two
 * replicas in one process; they share one SMTP pool, as their settings are
 * the same). Keyed by the SMTP settings, which is all a channel is built from.
 */
export class ChannelPool {
  private readonly open = new Map<string, { channels: NotificationChannel[]; users: number }>();

  constructor(private readonly build: (config: PlatformConfig) => NotificationChannel[]) {}

  acquire(config: PlatformConfig): SubgraphResources {
    const key = keyOf(config);
    const entry = this.open.get(key) ?? { channels: this.build(config), users: 0 };
    entry.users += 1;
    this.open.set(key, entry);
    let released = false;
    return {
      close: async () => {
        if (released) return;
        released = true;
        entry.users -= 1;
        if (entry.users > 0) return;
        this.open.delete(key);
        await Promise.allSettled(entry.channels.map((c) => c.close()));
      },
    };
  }

  /** The channels a running subgraph opened with this configuration. */
  channelsFor(config: PlatformConfig): NotificationChannel[] {
    const entry = this.open.get(keyOf(config));
    if (!entry) throw new Error('notifications: no channels open for this configuration (the subgraph is not running)');
    return entry.channels;
  }
}

function keyOf(config: PlatformConfig): string {
  return JSON.stringify(config.smtp);
}
