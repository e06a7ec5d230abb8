import type { ClientKeyView, SpendCap } from './types';

/** The client-key form as the user edits it: all text. */
export interface ClientKeyDraft {
  name: string;
  models: string;
  rpm: string;
  capPeriod: '' | 'day' | 'month';
  capTokens: string;
  capCost: string;
  /** `datetime-local` value, in local time. */
  expires: string;
  enabled: boolean;
}

/** The form of a new key: no limits. */
export const EMPTY_DRAFT: ClientKeyDraft = {
  name: '',
  models: '',
  rpm: '',
  capPeriod: '',
  capTokens: '',
  capCost: '',
  expires: '',
  enabled: true,
};

function localInput(iso: string | null): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** The form filled from a key. */
export function draftOf(key: ClientKeyView): ClientKeyDraft {
  return {
    name: key.name,
    models: (key.models ?? []).join('\n'),
    rpm: key.rpm === null ? '' : String(key.rpm),
    capPeriod: key.cap?.period ?? '',
    capTokens: key.cap?.tokens == null ? '' : String(key.cap.tokens),
    capCost: key.cap?.cost == null ? '' : String(key.cap.cost),
    expires: localInput(key.expires_at),
    enabled: key.enabled,
  };
}

/** What is wrong with a form: the field and a message key, or null. */
export type DraftProblem = {
  field: keyof ClientKeyDraft;
  message: 'form.required' | 'form.positiveInt' | 'form.positiveNumber' | 'form.capNeedsLimit';
};

function positiveInt(text: string): number | null | false {
  if (!text.trim()) return null;
  const n = Number(text);
  return Number.isInteger(n) && n > 0 ? n : false;
}

function positiveNumber(text: string): number | null | false {
  if (!text.trim()) return null;
  const n = Number(text);
  return Number.isFinite(n) && n > 0 ? n : false;
}

/** The API body of a form (`POST` or `PATCH` `/admin/api/client-keys`), or the first problem. */
export function bodyOf(draft: ClientKeyDraft): { body: Record<string, unknown> } | { problem: DraftProblem } {
  if (!draft.name.trim()) return { problem: { field: 'name', message: 'form.required' } };
  const rpm = positiveInt(draft.rpm);
  if (rpm === false) return { problem: { field: 'rpm', message: 'form.positiveInt' } };
  let cap: SpendCap | null = null;
  if (draft.capPeriod) {
    const tokens = positiveInt(draft.capTokens);
    if (tokens === false) return { problem: { field: 'capTokens', message: 'form.positiveInt' } };
    const cost = positiveNumber(draft.capCost);
    if (cost === false) return { problem: { field: 'capCost', message: 'form.positiveNumber' } };
    if (tokens === null && cost === null)
      return { problem: { field: 'capTokens', message: 'form.capNeedsLimit' } };
    cap = { period: draft.capPeriod, tokens, cost };
  }
  const models = draft.models
    .split(/[\s,]+/)
    .map((m) => m.trim())
    .filter(Boolean);
  const expires = draft.expires ? new Date(draft.expires) : null;
  return {
    body: {
      name: draft.name.trim(),
      models: models.length ? models : null,
      rpm,
      cap,
      expires_at: expires && !Number.isNaN(expires.getTime()) ? expires.toISOString() : null,
      enabled: draft.enabled,
    },
  };
}
