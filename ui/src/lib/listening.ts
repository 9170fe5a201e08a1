import type { UnlistenFn } from "@tauri-apps/api/event";

/**
 * Holds the listeners `subscriptions` resolve to until the returned `stop`
 * is called (an effect's cleanup). A subscription that resolves after
 * `stop` (the screen went away first) is stopped as soon as it arrives.
 * Stopping a listener can fail once the app, or a test's IPC mocks, are torn
 * down; that is not an error, and it is not left as an unhandled rejection.
 */
export function keepListening(...subscriptions: Promise<UnlistenFn>[]): () => void {
  let stopped = false;
  const held: UnlistenFn[] = [];
  for (const subscription of subscriptions) {
    subscription.then(
      (unlisten) => (stopped ? quietly(unlisten) : held.push(unlisten)),
      () => undefined,
    );
  }
  return () => {
    stopped = true;
    held.splice(0).forEach(quietly);
  };
}

/** Calls `unlisten`, ignoring a failure thrown or returned as a promise. */
function quietly(unlisten: UnlistenFn) {
  try {
    // Tauri's unlisten returns a promise though typed `void`.
    void Promise.resolve(unlisten() as unknown).catch(() => undefined);
  } catch {
    // Already torn down.
  }
}
