import { useEffect } from "react";
import { onNotificationsChanged } from "../../api/notifications";

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
    let unlisten: (() => void) | undefined;
    let live = true;
    onNotificationsChanged(refresh).then(
      (off) => (live ? (unlisten = off) : off()),
      () => {},
    );
    const timer = setInterval(refresh, REFRESH_MS);
    return () => {
      live = false;
      unlisten?.();
      clearInterval(timer);
    };
  }, [refresh]);
}
