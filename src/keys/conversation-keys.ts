import { HashRing } from './hash-ring';

/** What {@link ConversationKeys} needs of a pool key. */
export interface ConversationKey {
  readonly id: string;
  /** Position in the pool's rotation, or -1 when the key is not usable now. */
  readonly slot: number;
}

/** Options of {@link ConversationKeys}. */
export interface ConversationKeysOptions {
  /** How long a conversation stays on the key it moved to after its last request. */
  movedTtlMs: number;
  /** Most conversations remembered as moved; the least recently used are forgotten first. */
  maxMoved: number;
  /** Most ring points looked at for a usable key before giving up (the pool then chooses). */
  walkLimit: number;
}

/** Defaults: an hour of stickiness (providers' prompt caches last minutes to an hour). */
export const CONVERSATION_DEFAULTS: ConversationKeysOptions = {
  movedTtlMs: 60 * 60_000,
  maxMoved: 20_000,
  walkLimit: 256,
};

interface Moved {
  id: string;
  until: number;
}

/**
 * Keeps each conversation on one key. A conversation (a 32-bit identity) has a
 * home key: its owner on a consistent-hash ring over every key of the pool, so
 * that adding or removing a key moves only the conversations of that key. While
 * the home key is usable the conversation goes there; when it is not, or when
 * a request on it failed, the conversation goes to the next usable key along
 * the ring and stays there (remembered, with an expiry and a bound on how many
 * are remembered) even after its home key recovers: a prompt cache lives with
 * the account that built it. Picking is a map lookup and a binary search,
 * whatever the pool's size; the ring is rebuilt only after the pool's members
 * changed, at the next pick.
 */
export class ConversationKeys<K extends ConversationKey> {
  private readonly ring = new HashRing<K>();
  private stale = true;
  private readonly moved = new Map<number, Moved>();

  constructor(
    private readonly members: ReadonlyMap<string, K>,
    private readonly options: ConversationKeysOptions = CONVERSATION_DEFAULTS,
  ) {}

  /** The pool's members changed (a key added or removed): rebuild the ring before the next pick. */
  invalidate(): void {
    this.stale = true;
  }

  /** Conversations remembered as moved off their home key. */
  get movedCount(): number {
    return this.moved.size;
  }

  /**
   * The key for `conversation`, never one in `tried` nor one not usable: the key it
   * moved to, while usable; else the first usable key on the ring from its
   * position. Null when none is found within {@link ConversationKeysOptions.walkLimit}
   * points (the caller then chooses and calls {@link remember}).
   */
  pick(conversation: number, now: number, tried: ReadonlySet<string>): K | null {
    const moved = this.moved.get(conversation);
    if (moved) {
      const key = moved.until > now ? this.members.get(moved.id) : undefined;
      if (key && key.slot >= 0 && !tried.has(key.id)) {
        if (moved.until - now < this.options.movedTtlMs / 2) this.touch(conversation, moved, now);
        return key;
      }
    }
    if (this.stale) {
      this.ring.build(this.members.values());
      this.stale = false;
    }
    const ring = this.ring;
    if (ring.length === 0) return null;
    const start = ring.find(conversation);
    const home = ring.ownerAt(start);
    const limit = Math.min(this.options.walkLimit, ring.length);
    for (let i = 0; i < limit; i++) {
      const key = i === 0 ? home : ring.ownerAt(start + i);
      if (key.slot < 0 || tried.has(key.id)) continue;
      if (key === home) {
        if (moved) this.moved.delete(conversation);
      } else this.remember(conversation, key.id, now);
      return key;
    }
    return null;
  }

  /** The conversation lives on `keyId` from now on (until that key fails or the memory expires). */
  remember(conversation: number, keyId: string, now: number): void {
    const moved = this.moved.get(conversation);
    if (moved && moved.id === keyId) {
      this.touch(conversation, moved, now);
      return;
    }
    if (moved) this.moved.delete(conversation);
    else if (this.moved.size >= this.options.maxMoved) this.forgetOldest(now);
    this.moved.set(conversation, { id: keyId, until: now + this.options.movedTtlMs });
  }

  /** Renews a remembered move and makes it the most recently used. */
  private touch(conversation: number, moved: Moved, now: number): void {
    moved.until = now + this.options.movedTtlMs;
    this.moved.delete(conversation);
    this.moved.set(conversation, moved);
  }

  /** Drops expired entries from the old end, and at least the oldest one. */
  private forgetOldest(now: number): void {
    let dropped = 0;
    for (const [conversation, moved] of this.moved) {
      if (dropped > 0 && moved.until > now) break;
      this.moved.delete(conversation);
      dropped++;
    }
  }
}
