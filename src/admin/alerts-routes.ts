import { Hono } from 'hono';
import type { AlertState } from '../alerts/alert-policy';
import { ALERT_STATE_RECORD } from '../alerts/alert-service';
import { parseAlertSettings } from '../alerts/alert-settings';
import { isRecord } from '../errors';
import { bad } from '../lib/body-check';
import { parseJsonBody, readRequestText } from '../lib/read-json';
import type { Services } from '../services';

/**
 * `/admin/api/alerts`: the alert rules and the webhooks they post to (`GET`, `PUT`), and
 * `POST /admin/api/alerts/test`, which sends a test alert to every webhook (or to the
 * `webhooks` of its body, to try them before saving) and answers what each said.
 */
export function alertsRoutes(services: Services): Hono {
  const { alertSettings, config } = services;
  const app = new Hono();
  const view = async () => {
    const state = await services.deps.store.get<AlertState>(ALERT_STATE_RECORD);
    const lastSent = Object.fromEntries(
      Object.entries(state?.sent ?? {}).map(([kind, at]) => [kind, new Date(at as number).toISOString()]),
    );
    return { settings: alertSettings.current, last_sent: lastSent };
  };

  app.get('/', async (c) => {
    await alertSettings.ready();
    return c.json(await view());
  });

  app.put('/', async (c) => {
    await alertSettings.ready();
    const json = parseJsonBody(await readRequestText(c, config.maxBodyBytes));
    await alertSettings.set(parseAlertSettings(json, alertSettings.current));
    return c.json(await view());
  });

  app.post('/test', async (c) => {
    await alertSettings.ready();
    // The body is optional: none sends to the saved webhooks.
    const text = await readRequestText(c, config.maxBodyBytes);
    const json = text.trim() ? parseJsonBody(text) : null;
    const given = isRecord(json) && json.webhooks !== undefined;
    const webhooks = given
      ? parseAlertSettings({ webhooks: json.webhooks }, alertSettings.current).webhooks
      : alertSettings.current.webhooks;
    if (webhooks.length === 0) throw bad('no webhook to send to: add one first');
    return c.json({ results: await services.alerts.sendTest(webhooks) });
  });

  return app;
}
