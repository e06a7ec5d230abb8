import type { Context } from 'hono';
import { AppError } from '../errors';

// Ids of keys and client keys are 16 hex digits; anything far from that shape names nothing.
const ID = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * The `:id` of an admin path, or a 404 (`No <what> with id ...`, the id
 * shortened) when it cannot be one: a 600-character id would otherwise
 * reach the store, which refuses names over 512 bytes with a 500.
 */
export function pathId(c: Context, what: string): string {
  const id = c.req.param('id') ?? '';
  if (ID.test(id)) return id;
  const shown = id.length > 40 ? `${id.slice(0, 40)}...` : id;
  throw new AppError(404, `No ${what} with id ${JSON.stringify(shown)}`, 'not_found');
}
