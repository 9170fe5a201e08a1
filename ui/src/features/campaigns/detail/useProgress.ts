import { useEffect, useState } from "react";
import { campaignProgress, type CampaignProgress, type CampaignStatus } from "../../../api/campaigns";

/** How often a sending campaign's progress is read. */
export const POLL_MS = 1000;

/**
 * The campaign's progress, read once and then every POLL_MS while it is
 * sending; `onSettled` is called when a poll sees it stop sending.
 */
export function useProgress(id: string, status: CampaignStatus | null, onSettled: () => void): [CampaignProgress | null, (p: CampaignProgress) => void] {
  const [progress, setProgress] = useState<CampaignProgress | null>(null);
  const sending = status === "sending";

  useEffect(() => {
    if (!status) return;
    let live = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const read = () => {
      campaignProgress(id).then(
        (p) => {
          if (!live) return;
          setProgress(p);
          if (sending && p.status !== "sending") onSettled();
          else if (sending) timer = setTimeout(read, POLL_MS);
        },
        () => {
          // A failed read is retried on the next tick; the last figures stay up.
          if (live && sending) timer = setTimeout(read, POLL_MS);
        },
      );
    };
    read();
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [id, status, sending, onSettled]);

  return [progress, setProgress];
}
