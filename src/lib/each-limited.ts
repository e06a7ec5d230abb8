/**
 * Runs `fn` over `items`, at most `limit` at once. Every item is tried; once
 * all calls have settled, rejects with the first failure (so nothing is
 * still running when the caller reacts to it).
 */
export async function eachLimited<T>(
  items: T[],
  limit: number,
  fn: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const failures: unknown[] = [];
  const worker = async () => {
    while (next < items.length) {
      try {
        await fn(items[next++]);
      } catch (err) {
        failures.push(err);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (failures.length) throw failures[0];
}
