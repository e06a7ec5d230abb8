import { Hono } from 'hono';
import { bad } from '../lib/body-check';
import type { Services } from '../services';

/**
 * `GET /admin/api/model-map/resolve?name=gpt-4o`: what a model name goes to,
 * `{name, id, via, candidates?}` (the proxy's own resolver, so the answer is
 * what a request would do). `GET /admin/api/catalog`: the cached catalogue,
 * `{data: [{id, name, context_length, pricing}], fetched_at, error}`, fetched
 * first when none is cached yet.
 */
export function modelToolsRoutes(services: Services): Hono {
  const { catalog, resolver, modelMap } = services;
  const app = new Hono();
  const loaded = async () => {
    await Promise.all([modelMap.ready(), catalog.load()]);
    if (!catalog.current()) await catalog.refreshIfStale();
  };

  app.get('/model-map/resolve', async (c) => {
    const name = (c.req.query('name') ?? '').trim();
    if (!name) throw bad('"name" is required: the model name a client would send');
    if (name.length > 200) throw bad('"name" must be at most 200 characters');
    await loaded();
    return c.json({ name, ...resolver.explain(name) });
  });

  app.get('/catalog', async (c) => {
    await loaded();
    const snapshot = catalog.current();
    const data = (snapshot?.models ?? []).map((m) => ({
      id: m.id,
      name: typeof m.name === 'string' ? m.name : null,
      context_length: typeof m.context_length === 'number' ? m.context_length : null,
      pricing: isPricing(m.pricing) ? { prompt: m.pricing.prompt, completion: m.pricing.completion } : null,
    }));
    return c.json({
      data,
      fetched_at: snapshot ? new Date(snapshot.fetchedAt).toISOString() : null,
      error: catalog.lastError,
    });
  });

  return app;
}

function isPricing(value: unknown): value is { prompt: string; completion: string } {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { prompt?: unknown }).prompt === 'string' &&
    typeof (value as { completion?: unknown }).completion === 'string'
  );
}
