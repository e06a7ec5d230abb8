import { useCallback, useEffect, useRef, useState } from 'hono/jsx/dom';

/**
 * `useState` whose setter does nothing once the component is gone. hono/jsx/dom
 * would otherwise render an unmounted component again, back into the page, when
 * an answer arrives after the user moved on.
 */
export function useSafeState<T>(initial: T): [T, (next: T | ((previous: T) => T)) => void] {
  const [value, setValue] = useState<T>(initial);
  const alive = useRef(true);
  useEffect(() => {
    alive.current = true;
    return () => {
      alive.current = false;
    };
  }, []);
  const set = useCallback((next: T | ((previous: T) => T)) => {
    if (alive.current) setValue(next as T);
  }, []);
  return [value, set];
}

/** The state of a load: data once there, the error of the last try, and a way to load again. */
export interface Loaded<T> {
  data: T | null;
  error: Error | null;
  loading: boolean;
  reload: () => Promise<void>;
}

/** Runs `load` now and whenever `deps` change; keeps the last data while reloading. */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[]): Loaded<T> {
  const [data, setData] = useSafeState<T | null>(null);
  const [error, setError] = useSafeState<Error | null>(null);
  const [loading, setLoading] = useSafeState(true);
  const run = useRef(0);
  const loader = useRef(load);
  loader.current = load;
  const reload = useCallback(async () => {
    const mine = ++run.current;
    setLoading(true);
    try {
      const value = await loader.current();
      if (mine !== run.current) return;
      setData(value);
      setError(null);
    } catch (err) {
      if (mine !== run.current) return;
      setError(err instanceof Error ? err : new Error(String(err)));
    } finally {
      if (mine === run.current) setLoading(false);
    }
  }, []);
  useEffect(() => {
    reload();
  }, deps);
  return { data, error, loading, reload };
}

/** `value`, once it has stopped changing for `ms`. */
export function useDebounced<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return settled;
}

/** Calls `fn` every `ms` while `on`, and not while the tab is hidden. */
export function useInterval(fn: () => void, ms: number, on = true): void {
  const saved = useRef(fn);
  saved.current = fn;
  useEffect(() => {
    if (!on) return;
    const timer = setInterval(() => {
      if (document.visibilityState === 'visible') saved.current();
    }, ms);
    return () => clearInterval(timer);
  }, [ms, on]);
}
