import type { Context } from 'hono';
import { AppError } from '../errors';
import { toOpenAiModelList } from '../model-map/models-list';
import type { Services } from '../services';
import { proxyAnswerHeaders } from './cors';

/**
 * `GET /v1/models`: OpenRouter's catalogue and the aliases, in OpenAI's list
 * shape with OpenRouter's extra fields kept. The catalogue is fetched only
 * when no copy is cached.
 */
export function listModels(services: Services) {
  return async (c: Context): Promise<Response> => {
    const waits: Array<Promise<unknown> | null> = [services.modelMap.ready()];
    if (!services.catalog.current())
      waits.push(services.catalog.load().then(() => services.catalog.refreshIfStale()));
    try {
      await Promise.all(waits);
    } catch (err) {
      services.logger.log('warn', 'model catalogue unavailable', { error: String(err) });
    }
    const snapshot = services.catalog.current();
    if (!snapshot)
      throw new AppError(
        502,
        'The model catalogue could not be fetched from upstream',
        'catalog_unavailable',
        undefined,
        { 'x-cloudrouter-attempts': '1' },
      );
    const list = toOpenAiModelList([...snapshot.models], services.modelMap.current.aliases);
    // A cache must not hand a browser the copy made for a client without CORS.
    return c.json(list, 200, { ...proxyAnswerHeaders(c.req.header('origin'), 0), vary: 'origin' });
  };
}
