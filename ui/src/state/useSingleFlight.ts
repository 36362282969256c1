import { useCallback, useRef } from "react";

/**
 * Runs `task` one at a time: a call made while it runs returns the running
 * promise and makes it run once more after it (so the last call's data
 * always arrives, without piling up requests). `task` must be stable
 * (a useCallback or a module function).
 */
export function useSingleFlight(task: () => Promise<void>): () => Promise<void> {
  const inFlight = useRef<Promise<void> | null>(null);
  const again = useRef(false);
  return useCallback((): Promise<void> => {
    if (inFlight.current) {
      again.current = true;
      return inFlight.current;
    }
    const run = async () => {
      do {
        again.current = false;
        await task();
      } while (again.current);
    };
    inFlight.current = run().finally(() => {
      inFlight.current = null;
    });
    return inFlight.current;
  }, [task]);
}
