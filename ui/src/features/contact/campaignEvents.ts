import type { Channel } from "../../bindings/Channel";
import type { ContactCampaignView } from "../../bindings/ContactCampaignView";

/** What happened to one campaign message, in the order a message lives it. */
export type CampaignStep = "sent" | "delivered" | "opened" | "clicked" | "bounced" | "complained" | "unsubscribed";

/** One campaign event on the contact's timeline. */
export interface CampaignEvent {
  key: string;
  step: CampaignStep;
  at: string;
  campaignId: string;
  campaignName: string;
  channel: Channel;
}

export const STEP_LABELS: Record<CampaignStep, string> = {
  sent: "Sent",
  delivered: "Delivered",
  opened: "Opened",
  clicked: "Clicked",
  bounced: "Bounced",
  complained: "Marked as spam",
  unsubscribed: "Unsubscribed",
};

const STEPS: [CampaignStep, (c: ContactCampaignView) => string | null][] = [
  ["sent", (c) => c.sentAt],
  ["delivered", (c) => c.deliveredAt],
  ["opened", (c) => c.openedAt],
  ["clicked", (c) => c.clickedAt],
  ["bounced", (c) => c.bouncedAt],
  ["complained", (c) => c.complainedAt],
  ["unsubscribed", (c) => c.unsubscribedAt],
];

/** What a step is called on the timeline: an SMS is opted out of, not unsubscribed from. */
export function stepLabel(step: CampaignStep, channel: Channel): string {
  return channel === "sms" && step === "unsubscribed" ? "Opted out" : STEP_LABELS[step];
}

/**
 * The campaigns' events as timeline entries, one per instant the ledger
 * holds: sent, delivered (when the provider reports deliveries), opened,
 * clicked, bounced, marked as spam, unsubscribed (an SMS: opted out).
 */
export function campaignEvents(campaigns: ContactCampaignView[]): CampaignEvent[] {
  return campaigns.flatMap((c) =>
    STEPS.flatMap(([step, at]) => {
      const when = at(c);
      return when ? [{ key: `${c.campaignId}-${step}`, step, at: when, campaignId: c.campaignId, campaignName: c.campaignName, channel: c.channel }] : [];
    }),
  );
}

/** Rank of a step at the same instant: the later step of a message's life first (a click that implied the open). */
export const stepRank = (step: CampaignStep) => STEPS.findIndex(([s]) => s === step);
