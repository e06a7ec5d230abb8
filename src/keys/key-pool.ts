import type { KeyStrategy } from '../config';
import { ConversationKeys } from './conversation-keys';
import { CooldownQueue } from './cooldown-queue';
import type { KeyCredit } from './key-records';
import {
  type CooldownPolicy,
  healthAt,
  healthChanged,
  initialKeyState,
  type KeyEvent,
  type KeyState,
  type KeyStatus,
  nextKeyState,
  statusOf,
} from './key-state';

/** One upstream key as the pool holds it. */
export interface PoolKey {
  id: string;
  secret: string;
  /** `Bearer <secret>`, built once: the request path sends it as it is. */
  authorization: string;
  hint: string;
  label: string;
  enabled: boolean;
  createdAt: number;
  state: KeyState;
  /** Position in the rotation, or -1 when not usable. */
  slot: number;
  /** What the last health check learned (null before the first). */
  checkedAt: number | null;
  credit: KeyCredit | null;
}

/** What {@link KeyPool.upsert} is given: a key's stored fields, and its state when known. */
export type PoolKeyInit = Pick<PoolKey, 'id' | 'secret' | 'hint' | 'label' | 'enabled' | 'createdAt'> & {
  state?: KeyState;
};

/** Options of {@link KeyPool}. */
export interface KeyPoolOptions {
  strategy: KeyStrategy;
  cooldown: CooldownPolicy;
  random?: () => number;
}

/**
 * The keys and their rotation. Picking a key is O(1) whatever the pool's
 * size: usable keys sit in a ring; keys in cooldown wait in a heap and
 * rejoin the ring when their time comes; other keys are outside both.
 */
export class KeyPool {
  private readonly keys = new Map<string, PoolKey>();
  private readonly ring: PoolKey[] = [];
  private readonly waiting = new CooldownQueue();
  private readonly sticky = new Map<string, string>();
  /** Where each conversation goes: a hash ring over every key, and the conversations that moved. */
  readonly conversations = new ConversationKeys<PoolKey>(this.keys);
  private cursor = 0;

  constructor(private options: KeyPoolOptions) {}

  get size(): number {
    return this.keys.size;
  }

  setStrategy(strategy: KeyStrategy): void {
    this.options = { ...this.options, strategy };
  }

  get(id: string): PoolKey | undefined {
    return this.keys.get(id);
  }

  values(): IterableIterator<PoolKey> {
    return this.keys.values();
  }

  /**
   * Adds a key or replaces what is known of it; returns the pool's copy. Every key is
   * made by one literal and changed field by field, so all keys share one shape
   * (copying objects onto keys gave each key a hidden class of its own).
   */
  upsert(init: PoolKeyInit, now: number): PoolKey {
    let key = this.keys.get(init.id);
    if (key) {
      if (key.secret !== init.secret) {
        key.secret = init.secret;
        key.authorization = bearer(init.secret);
      }
      key.hint = init.hint;
      key.label = init.label;
      key.enabled = init.enabled;
      key.createdAt = init.createdAt;
      if (init.state) key.state = init.state;
    } else {
      key = {
        id: init.id,
        secret: init.secret,
        authorization: bearer(init.secret),
        hint: init.hint,
        label: init.label,
        enabled: init.enabled,
        createdAt: init.createdAt,
        state: init.state ?? initialKeyState(now),
        slot: -1,
        checkedAt: null,
        credit: null,
      };
      this.keys.set(key.id, key);
      this.conversations.invalidate();
    }
    this.place(key, now);
    return key;
  }

  remove(id: string): boolean {
    const key = this.keys.get(id);
    if (!key) return false;
    this.leaveRing(key);
    this.keys.delete(id);
    this.conversations.invalidate();
    return true;
  }

  /** Applies an event; answers whether the key's health changed (worth persisting). */
  report(id: string, event: KeyEvent, now: number): boolean {
    const key = this.keys.get(id);
    if (!key) return false;
    const before = key.state;
    key.state = nextKeyState(before, event, now, this.options.cooldown);
    if (key.state === before) return false;
    this.place(key, now);
    return healthChanged(before, key.state);
  }

  /** Replaces a key's state (from storage or another isolate); answers whether it changed. */
  setState(id: string, state: KeyState, now: number): boolean {
    const key = this.keys.get(id);
    if (!key) return false;
    const changed = healthChanged(key.state, state);
    key.state = state;
    this.place(key, now);
    return changed;
  }

  /**
   * The next key to use, never one already tried for this request nor one
   * not usable. `conversation` (a conversation's identity, see
   * `src/proxy/conversation-identity.ts`) keeps a conversation on its key
   * (see {@link ConversationKeys}); without one, `stickyFor` (a client key
   * id) keeps one client on one key while it works under the `sticky` strategy.
   */
  pick(
    now: number,
    tried: ReadonlySet<string> = EMPTY,
    stickyFor?: string,
    conversation?: number | null,
  ): PoolKey | null {
    this.wake(now);
    const ring = this.ring;
    if (ring.length === 0) return null;
    if (conversation != null) {
      const key = this.conversations.pick(conversation, now, tried);
      if (key) return key;
      // No usable key near the conversation's place (a mostly dead pool): the rotation chooses.
      const other = this.rotate(tried, undefined);
      if (other) this.conversations.remember(conversation, other.id, now);
      return other;
    }
    return this.rotate(tried, stickyFor);
  }

  /** The next usable key by the strategy, skipping `tried`. */
  private rotate(tried: ReadonlySet<string>, stickyFor: string | undefined): PoolKey | null {
    const ring = this.ring;
    if (this.options.strategy === 'sticky' && stickyFor) {
      const held = this.keys.get(this.sticky.get(stickyFor) ?? '');
      if (held && held.slot >= 0 && !tried.has(held.id)) return held;
    }
    const random = this.options.strategy === 'random';
    const tries = Math.min(ring.length, tried.size + 1);
    for (let i = 0; i < tries; i++) {
      const index = random
        ? Math.floor((this.options.random ?? Math.random)() * ring.length)
        : this.cursor++ % ring.length;
      const key = ring[index];
      if (!tried.has(key.id)) {
        if (stickyFor && this.options.strategy === 'sticky') this.sticky.set(stickyFor, key.id);
        return key;
      }
    }
    for (const key of ring) if (!tried.has(key.id)) return key;
    return null;
  }

  /** When the first cooldown ends, or null when no key is cooling down. */
  nextReadyAt(now: number): number | null {
    this.wake(now);
    // Entries of keys removed, disabled or re-stated since they were queued are stale: drop them.
    for (let top = this.waiting.peek(); top; top = this.waiting.peek()) {
      const key = this.keys.get(top.id);
      if (key?.enabled && key.state.health === 'cooldown' && key.state.until === top.at) return top.at;
      this.waiting.pop();
    }
    return null;
  }

  /** How many keys have each status. */
  counts(now: number): Record<KeyStatus, number> {
    const counts: Record<KeyStatus, number> = {
      active: 0,
      cooldown: 0,
      invalid: 0,
      exhausted: 0,
      disabled: 0,
    };
    for (const key of this.keys.values()) counts[statusOf(key.enabled, key.state, now)]++;
    return counts;
  }

  /** Usable keys right now. */
  get usable(): number {
    return this.ring.length;
  }

  private wake(now: number): void {
    for (let top = this.waiting.peek(); top && top.at <= now; top = this.waiting.peek()) {
      this.waiting.pop();
      const key = this.keys.get(top.id);
      if (key?.enabled && key.state.health === 'cooldown' && key.state.until === top.at) this.joinRing(key);
    }
  }

  private place(key: PoolKey, now: number): void {
    const health = healthAt(key.state, now);
    if (key.enabled && health === 'active') {
      this.joinRing(key);
      return;
    }
    this.leaveRing(key);
    if (key.enabled && health === 'cooldown' && key.state.until !== null)
      this.waiting.push(key.state.until, key.id);
  }

  private joinRing(key: PoolKey): void {
    if (key.slot >= 0) return;
    key.slot = this.ring.length;
    this.ring.push(key);
  }

  private leaveRing(key: PoolKey): void {
    if (key.slot < 0) return;
    const last = this.ring.pop()!;
    if (last !== key) {
      this.ring[key.slot] = last;
      last.slot = key.slot;
    }
    key.slot = -1;
  }
}

/** `Bearer <secret>` as one flat string (a join, not a concatenation that stays a pair of pieces). */
function bearer(secret: string): string {
  return ['Bearer ', secret].join('');
}

const EMPTY: ReadonlySet<string> = new Set();
