import { describe, expect, it } from 'vitest';
import { type AlertSettingsView, alertBody, alertDraft, blankWebhook } from './alert-form';

const settings: AlertSettingsView = {
  webhooks: [{ url: 'https://hooks.slack.com/services/T/B/X', format: 'slack' }],
  lang: 'zh-CN',
  min_usable_keys: 3,
  key_dead: true,
  min_credit: null,
  max_error_rate: 0.125,
  window_minutes: 30,
};

describe('alert form', () => {
  it('shows the error rate in percent and sends it back as a share', () => {
    const draft = alertDraft(settings);
    expect(draft.max_error_rate_pct).toBe('12.5');
    expect(draft.min_credit).toBe('');
    expect(alertBody(draft)).toEqual(settings);
  });

  it('drops blank webhook rows and turns emptied rules off', () => {
    const draft = { ...alertDraft(settings), min_usable_keys: ' ', max_error_rate_pct: '' };
    draft.webhooks.push(blankWebhook('wecom'));
    const body = alertBody(draft);
    expect(body.webhooks).toEqual(settings.webhooks);
    expect(body.min_usable_keys).toBeNull();
    expect(body.max_error_rate).toBeNull();
  });
});
