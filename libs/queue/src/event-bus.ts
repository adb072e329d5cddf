import { type JobEvent, jobEventSchema } from '@kiln/contracts';
import type { Redis } from 'ioredis';
import { tenantEventsChannel } from './names.js';

/** Publishes events (already committed to the event log) to every api instance. */
export async function publishJobEvents(redis: Redis, prefix: string, tenantId: string, events: readonly JobEvent[]): Promise<void> {
  if (events.length === 0) return;
  const channel = tenantEventsChannel(prefix, tenantId);
  const pipeline = redis.pipeline();
  for (const event of events) pipeline.publish(channel, JSON.stringify(event));
  await pipeline.exec();
}

export type JobEventListener = (event: JobEvent) => void;

/**
 * One subscriber connection per api process, shared by every WebSocket: channels are subscribed while at least one
 * listener wants them. Messages that do not parse are dropped (they cannot come from Kiln).
 */
export class JobEventSubscriber {
  private readonly listeners = new Map<string, Set<JobEventListener>>();
  private readonly subscribing = new Map<string, Promise<unknown>>();

  constructor(private readonly redis: Redis, private readonly prefix: string) {
    redis.on('message', (channel: string, message: string) => this.dispatch(channel, message));
  }

  /** Calls `listener` with every live event of the tenant's jobs, once the subscription is active. Returns the unsubscribe function. */
  async subscribe(tenantId: string, listener: JobEventListener): Promise<() => Promise<void>> {
    const channel = tenantEventsChannel(this.prefix, tenantId);
    let set = this.listeners.get(channel);
    if (!set) {
      set = new Set();
      this.listeners.set(channel, set);
      this.subscribing.set(channel, this.redis.subscribe(channel));
    }
    set.add(listener);
    await this.subscribing.get(channel);
    return async () => {
      const current = this.listeners.get(channel);
      if (!current?.delete(listener) || current.size > 0) return;
      this.listeners.delete(channel);
      this.subscribing.delete(channel);
      await this.redis.unsubscribe(channel).catch(() => {});
    };
  }

  private dispatch(channel: string, message: string): void {
    const set = this.listeners.get(channel);
    if (!set) return;
    let event: JobEvent;
    try {
      event = jobEventSchema.parse(JSON.parse(message));
    } catch {
      return;
    }
    for (const listener of set) listener(event);
  }
}
