// How campaign and recipient statuses read and look.
import type { CampaignStatus, RecipientStatus } from "../../api/campaigns";

export const CAMPAIGN_STATUSES: readonly CampaignStatus[] = ["draft", "scheduled", "sending", "paused", "sent", "cancelled", "failed"];
export const RECIPIENT_STATUSES: readonly RecipientStatus[] = ["queued", "sending", "sent", "failed", "in_doubt", "suppressed"];

const LABELS: Record<CampaignStatus | RecipientStatus, string> = {
  draft: "Draft",
  scheduled: "Scheduled",
  sending: "Sending",
  paused: "Paused",
  sent: "Sent",
  cancelled: "Cancelled",
  failed: "Failed",
  queued: "Queued",
  in_doubt: "In doubt",
  suppressed: "Suppressed",
};

const COLORS: Record<CampaignStatus | RecipientStatus, string> = {
  draft: "gray",
  scheduled: "blue",
  sending: "indigo",
  paused: "yellow",
  sent: "teal",
  cancelled: "gray",
  failed: "red",
  queued: "gray",
  in_doubt: "orange",
  suppressed: "gray",
};

export const campaignStatusLabel = (s: CampaignStatus | RecipientStatus): string => LABELS[s] ?? s;
export const campaignStatusColor = (s: CampaignStatus | RecipientStatus): string => COLORS[s] ?? "gray";
