import { defaultModels } from './catalogue.js';
import type { KeyInfoSetting, MockReply, RecordedRequest, ReplySource } from './types.js';

/** Per-token prices of a catalogue model, parsed once. */
export interface ModelPrice {
  prompt: number;
  completion: number;
}

const INFERENCE_ROUTES = new Set([
  '/chat/completions',
  '/completions',
  '/embeddings',
  '/messages',
  '/responses',
]);

/** The route of a request path: the part after `/api/v1`; paths outside it get a `~` mark (no route). */
export function routeOf(path: string): string {
  return path.startsWith('/api/v1/') ? path.slice(7) : `~${path}`;
}

// The route a reply's `path` names: relative to `/api/v1`, with or without that prefix.
function filterRoute(path: string): string {
  return path.startsWith('/api/v1/') ? path.slice(7) : path;
}

/** True for the POST routes that scripted replies without `path` apply to. */
export function isInference(method: string, route: string): boolean {
  return method === 'POST' && INFERENCE_ROUTES.has(route);
}

function matches(reply: MockReply, method: string, route: string): boolean {
  return reply.path === undefined ? isInference(method, route) : filterRoute(reply.path) === route;
}

/** Everything a mock remembers: recordings, scripts, key states and the catalogue. */
export class MockState {
  readonly requests: RecordedRequest[] = [];
  private readonly scripts = new Map<string, MockReply[]>();
  private readonly persistent = new Map<string, ReplySource>();
  private readonly keyInfos = new Map<string, KeyInfoSetting>();
  private prices = new Map<string, ModelPrice>();
  /** The key that made each generation (for `GET /generation`, which answers only that key's account). */
  readonly generations = new Map<string, string>();
  private modelsJson = '';

  constructor(readonly record = true) {
    this.setModels(defaultModels());
  }

  /** Queues replies for a key (`'*'` = any request). */
  script(key: string, replies: MockReply[]): void {
    const queue = this.scripts.get(key);
    if (queue) queue.push(...replies);
    else this.scripts.set(key, [...replies]);
  }

  /** Sets (or, with null, removes) the persistent reply of a key. */
  always(key: string, reply: ReplySource | null): void {
    if (reply === null) this.persistent.delete(key);
    else this.persistent.set(key, reply);
  }

  keyInfo(key: string, info: KeyInfoSetting): void {
    this.keyInfos.set(key, info);
  }

  getKeyInfo(key: string): KeyInfoSetting | undefined {
    return this.keyInfos.size === 0 ? undefined : this.keyInfos.get(key);
  }

  setModels(models: object[]): void {
    this.prices = new Map();
    for (const m of models as { id?: unknown; pricing?: { prompt?: unknown; completion?: unknown } }[]) {
      if (typeof m.id !== 'string') continue;
      const prompt = Math.max(0, Number(m.pricing?.prompt ?? 0)) || 0;
      const completion = Math.max(0, Number(m.pricing?.completion ?? 0)) || 0;
      this.prices.set(m.id, { prompt, completion });
    }
    this.modelsJson = JSON.stringify({ data: models, total_count: models.length, links: { next: null } });
  }

  /** The pricing of a catalogue model, or undefined when the id is not in the catalogue. */
  price(id: string): ModelPrice | undefined {
    return this.prices.get(id);
  }

  /** The serialized `GET /models` answer. */
  modelsBody(): string {
    return this.modelsJson;
  }

  /** The scripted reply for a request, consuming a queued one; undefined when none applies. */
  take(req: RecordedRequest, route: string): MockReply | undefined {
    if (this.scripts.size === 0 && this.persistent.size === 0) return undefined;
    const keys = req.key === null ? ['*'] : [req.key, '*'];
    for (const key of keys) {
      const queue = this.scripts.get(key);
      const index = queue ? queue.findIndex((r) => matches(r, req.method, route)) : -1;
      if (queue && index >= 0) return queue.splice(index, 1)[0];
    }
    for (const key of keys) {
      const source = this.persistent.get(key);
      if (!source) continue;
      if (typeof source === 'function') {
        if (!isInference(req.method, route)) continue;
        const reply = source(req);
        if (reply) return reply;
      } else if (matches(source, req.method, route)) {
        return source;
      }
    }
    return undefined;
  }

  reset(): void {
    this.requests.length = 0;
    this.scripts.clear();
    this.persistent.clear();
    this.keyInfos.clear();
    this.generations.clear();
    this.setModels(defaultModels());
  }
}
