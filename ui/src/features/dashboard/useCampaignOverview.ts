import { useCallback, useEffect, useState } from "react";
import { analyticsDashboard, type DashboardView } from "../../api/dashboard";
import { errorMessage } from "../../api/errors";
import { onNotificationsChanged } from "../../api/notifications";
import { keepListening } from "../../lib/listening";

/** How often the overview is read again while a campaign is sending. */
export const SENDING_POLL_MS = 3000;

/**
 * The dashboard's campaign widgets (`analytics_dashboard`): read on mount
 * and on `reload` (which shows skeletons and refetches the growth chart:
 * `attempt` changes), and read again in place every SENDING_POLL_MS only
 * while a campaign is sending, and when the app stored a notification (a
 * campaign finished, or a sync brought rates over a line).
 */
export function useCampaignOverview() {
  const [attempt, setAttempt] = useState(0);
  const [poke, setPoke] = useState(0);
  const [result, setResult] = useState<{ attempt: number; data: DashboardView | null; error: string | null } | null>(null);

  useEffect(() => {
    let live = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const read = (first: boolean) => {
      analyticsDashboard().then(
        (data) => {
          if (!live) return;
          setResult({ attempt, data, error: null });
          if (data.sending) timer = setTimeout(() => read(false), SENDING_POLL_MS);
        },
        (e: unknown) => {
          if (!live) return;
          // A failed re-read keeps the last figures up; while sending, the next tick tries again.
          if (first) setResult((r) => (r?.attempt === attempt && r.data ? r : { attempt, data: null, error: errorMessage(e) }));
          else timer = setTimeout(() => read(false), SENDING_POLL_MS);
        },
      );
    };
    read(true);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [attempt, poke]);

  useEffect(() => keepListening(onNotificationsChanged(() => setPoke((p) => p + 1))), []);

  const current = result?.attempt === attempt ? result : null;
  const reload = useCallback(() => setAttempt((a) => a + 1), []);
  return { data: current?.data ?? null, error: current?.error ?? null, attempt, reload };
}
