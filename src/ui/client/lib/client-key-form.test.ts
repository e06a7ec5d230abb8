import { describe, expect, it } from 'vitest';
import { bodyOf, draftOf, EMPTY_DRAFT } from './client-key-form';

describe('client key form', () => {
  it('turns the form into the API body: empty fields mean no limit', () => {
    expect(bodyOf({ ...EMPTY_DRAFT, name: ' team ' })).toEqual({
      body: { name: 'team', models: null, rpm: null, cap: null, expires_at: null, enabled: true },
    });
    const full = bodyOf({
      ...EMPTY_DRAFT,
      name: 'bot',
      models: 'openai/*\nanthropic/claude-3.5-sonnet, deepseek/*',
      rpm: '60',
      capPeriod: 'month',
      capCost: '12.5',
      expires: '2030-01-02T03:04',
    });
    expect(full).toMatchObject({
      body: {
        models: ['openai/*', 'anthropic/claude-3.5-sonnet', 'deepseek/*'],
        rpm: 60,
        cap: { period: 'month', tokens: null, cost: 12.5 },
        expires_at: new Date('2030-01-02T03:04').toISOString(),
      },
    });
  });

  it('names the field that is wrong', () => {
    expect(bodyOf(EMPTY_DRAFT)).toEqual({ problem: { field: 'name', message: 'form.required' } });
    expect(bodyOf({ ...EMPTY_DRAFT, name: 'a', rpm: '1.5' })).toEqual({
      problem: { field: 'rpm', message: 'form.positiveInt' },
    });
    expect(bodyOf({ ...EMPTY_DRAFT, name: 'a', capPeriod: 'day' })).toEqual({
      problem: { field: 'capTokens', message: 'form.capNeedsLimit' },
    });
  });

  it('fills the form back from a key', () => {
    const draft = draftOf({
      id: 'x',
      name: 'bot',
      hint: 'cr-…abcd',
      enabled: false,
      models: ['openai/*', 'x/y'],
      rpm: 10,
      expires_at: null,
      cap: { period: 'day', tokens: 1000, cost: null },
      created_at: '2024-01-01T00:00:00Z',
    });
    expect(draft).toMatchObject({
      models: 'openai/*\nx/y',
      rpm: '10',
      capPeriod: 'day',
      capTokens: '1000',
      capCost: '',
      enabled: false,
    });
  });
});
