import type { ContactCampaignView } from "../../bindings/ContactCampaignView";

/** What happened to one campaign message, in the order a message lives it. */
export type CampaignStep = "sent" | "opened" | "clicked" | "bounced" | "complained" | "unsubscribed";

/** One campaign event on the contact's timeline. */
export interface CampaignEvent {
  key: string;
  step: CampaignStep;
  at: string;
  campaignId: string;
  campaignName: string;
}

export const STEP_LABELS: Record<CampaignStep, string> = {
  sent: "Sent",
  opened: "Opened",
  clicked: "Clicked",
  bounced: "Bounced",
  complained: "Marked as spam",
  unsubscribed: "Unsubscribed",
};

const STEPS: [CampaignStep, (c: ContactCampaignView) => string | null][] = [
  ["sent", (c) => c.sentAt],
  ["opened", (c) => c.openedAt],
  ["clicked", (c) => c.clickedAt],
  ["bounced", (c) => c.bouncedAt],
  ["complained", (c) => c.complainedAt],
  ["unsubscribed", (c) => c.unsubscribedAt],
];

/**
 * The campaigns' events as timeline entries, one per instant the ledger
 * holds. Delivery is left out: it is the expected case, and a line per
 * message would bury the events a person acts on.
 */
export function campaignEvents(campaigns: ContactCampaignView[]): CampaignEvent[] {
  return campaigns.flatMap((c) =>
    STEPS.flatMap(([step, at]) => {
      const when = at(c);
      return when ? [{ key: `${c.campaignId}-${step}`, step, at: when, campaignId: c.campaignId, campaignName: c.campaignName }] : [];
    }),
  );
}

/** Rank of a step at the same instant: the later step of a message's life first (a click that implied the open). */
export const stepRank = (step: CampaignStep) => STEPS.findIndex(([s]) => s === step);
