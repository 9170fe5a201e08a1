import { useEffect } from "react";
import { onNotificationsChanged } from "../../api/notifications";
import { keepListening } from "../../lib/listening";

/**
 * How often the report is read again while it is open: the app has no
 * event for "a sync applied relay events", so this bounds how stale the
 * numbers get between syncs (the app syncs on its own every few minutes).
 */
export const REFRESH_MS = 30_000;

/**
 * Calls `refresh` when the app stored a notification (a sync brought a
 * campaign's end, or rates over a line) and every REFRESH_MS.
 */
export function useLiveRefresh(refresh: () => void) {
  useEffect(() => {
    const stopListening = keepListening(onNotificationsChanged(refresh));
    const timer = setInterval(refresh, REFRESH_MS);
    return () => {
      stopListening();
      clearInterval(timer);
    };
  }, [refresh]);
}
