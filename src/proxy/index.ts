import { Hono } from 'hono';
import { type ClientAuthVariables, clientAuth } from '../middleware/client-auth';
import type { Services } from '../services';
import { proxyPost } from './handle-request';
import { listModels } from './list-models';

/** The OpenAI-compatible routes, mounted under `/v1` and `/api/v1`. */
export function proxyRoutes(services: Services): Hono<{ Variables: ClientAuthVariables }> {
  const app = new Hono<{ Variables: ClientAuthVariables }>();
  app.use('*', clientAuth({ clientKeys: services.clientKeys, clock: services.clock }));
  app.post('/chat/completions', proxyPost(services, '/chat/completions'));
  app.post('/completions', proxyPost(services, '/completions'));
  app.post('/embeddings', proxyPost(services, '/embeddings'));
  app.get('/models', listModels(services));
  return app;
}
