/**
 * In-process figures of choosing a key (part of `npm run bench`, also `node --import tsx
 * bench/pick.ts`): nanoseconds per pick by rotation and by conversation (the hash ring), against
 * rendezvous hashing over every usable key, which the ring replaces; the cost of naming a
 * request's conversation; the ring's build time; and the share of conversations a pool change moves.
 */
import { KeyPool, type PoolKey } from '../src/keys/key-pool';
import { fmix32, hash32 } from '../src/lib/hash32';
import { conversationOf } from '../src/proxy/conversation-identity';

/** One measured figure. */
export interface PickFigure {
  what: string;
  value: string;
}

const NOW = 1_000_000;

function poolOf(n: number): KeyPool {
  const pool = new KeyPool({ strategy: 'round-robin', cooldown: { baseMs: 1000, maxMs: 60_000 } });
  for (let i = 0; i < n; i++)
    pool.upsert(
      { id: `key${i}`, secret: `sk-${i}`, hint: '', label: '', enabled: true, createdAt: NOW },
      NOW,
    );
  return pool;
}

/** Nanoseconds per call of `fn(i)`, the best of five runs of `n` calls after a warm-up. */
function nsPer(n: number, fn: (i: number) => unknown): number {
  let sink = 0;
  for (let i = 0; i < n; i++) if (fn(i)) sink++;
  let best = Number.POSITIVE_INFINITY;
  for (let run = 0; run < 5; run++) {
    const started = process.hrtime.bigint();
    for (let i = 0; i < n; i++) if (fn(i)) sink++;
    best = Math.min(best, Number(process.hrtime.bigint() - started) / n);
  }
  if (sink < 0) throw new Error('unreachable');
  return best;
}

/** Rendezvous (highest random weight) over every usable key: what the ring avoids. */
function rendezvous(keys: PoolKey[], hashes: Uint32Array, conversation: number): PoolKey | null {
  let best: PoolKey | null = null;
  let bestScore = -1;
  for (let i = 0; i < keys.length; i++) {
    if (keys[i].slot < 0) continue;
    const score = fmix32(hashes[i] ^ conversation);
    if (score > bestScore) {
      bestScore = score;
      best = keys[i];
    }
  }
  return best;
}

/** The share of `count` conversations whose first key differs between before and after `change`. */
function movedShare(pool: KeyPool, count: number, change: () => void): number {
  const place = () =>
    Array.from({ length: count }, (_, i) => pool.pick(NOW, new Set(), undefined, hash32(`c${i}`))?.id);
  const before = place();
  change();
  const after = place();
  return after.filter((id, i) => id !== before[i]).length / count;
}

/** Runs every measurement; takes a few seconds. */
export function measurePicks(): PickFigure[] {
  const figures: PickFigure[] = [];
  const ns = (what: string, value: number) => figures.push({ what, value: `${value.toFixed(0)} ns` });
  const conversations = Array.from({ length: 1024 }, (_, i) => hash32(`conversation ${i}`));
  for (const size of [10, 10_000]) {
    const pool = poolOf(size);
    const empty = new Set<string>();
    ns(
      `pick by rotation, ${size} keys`,
      nsPer(200_000, () => pool.pick(NOW, empty)),
    );
    const started = performance.now();
    pool.pick(NOW, empty, undefined, 1); // builds the ring
    figures.push({
      what: `ring build, ${size} keys`,
      value: `${(performance.now() - started).toFixed(1)} ms`,
    });
    ns(
      `pick by conversation (ring), ${size} keys`,
      nsPer(200_000, (i) => pool.pick(NOW, empty, undefined, conversations[i & 1023])),
    );
    const keys = [...pool.values()];
    const hashes = Uint32Array.from(keys, (k) => hash32(k.id));
    ns(
      `rendezvous over all keys (for comparison), ${size} keys`,
      nsPer(size > 1000 ? 2_000 : 200_000, (i) => rendezvous(keys, hashes, conversations[i & 1023])),
    );
  }
  const system = 'You are a helpful assistant. '.repeat(70); // ~2 KB
  const typical = {
    model: 'openai/gpt-4o-mini',
    messages: [
      { role: 'system', content: system },
      { role: 'user', content: 'Summarise the following text in three sentences.' },
      { role: 'assistant', content: 'Sure.' },
      { role: 'user', content: 'x'.repeat(4000) },
    ],
  };
  const none = () => undefined;
  ns(
    'conversationOf, 2 KB system prompt, 4 turns',
    nsPer(100_000, () => conversationOf(typical, 'chat', none)),
  );
  const huge = {
    ...typical,
    messages: [{ role: 'system', content: 'y'.repeat(1 << 20) }, ...typical.messages],
  };
  ns(
    'conversationOf, 1 MB system prompt',
    nsPer(100_000, () => conversationOf(huge, 'chat', none)),
  );
  const header = (name: string) => (name === 'x-claude-code-session-id' ? 'a1b2c3d4-e5f6' : undefined);
  ns(
    'conversationOf, session header',
    nsPer(100_000, () => conversationOf(typical, 'chat', header)),
  );

  const pct = (x: number) => `${(x * 100).toFixed(2)}%`;
  for (const size of [100, 10_000]) {
    const pool = poolOf(size);
    figures.push({
      what: `conversations moved by adding a key to ${size} (ideal ${pct(1 / (size + 1))})`,
      value: pct(
        movedShare(pool, 50_000, () =>
          pool.upsert({ id: 'added', secret: 's', hint: '', label: '', enabled: true, createdAt: NOW }, NOW),
        ),
      ),
    });
    figures.push({
      what: `conversations moved by removing a key from ${size + 1} (ideal ${pct(1 / (size + 1))})`,
      value: pct(movedShare(pool, 50_000, () => pool.remove('key0'))),
    });
  }
  return figures;
}

/** The figures as a table. */
export function formatPicks(figures: PickFigure[]): string {
  const width = Math.max(...figures.map((f) => f.what.length));
  return `Choosing a key (in-process)\n${figures.map((f) => `${f.what.padEnd(width)}  ${f.value.padStart(9)}`).join('\n')}`;
}

if (import.meta.url === `file://${process.argv[1]}`) process.stdout.write(`${formatPicks(measurePicks())}\n`);
