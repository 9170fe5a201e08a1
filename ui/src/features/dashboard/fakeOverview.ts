// Dev and test only (never imported by the app): an `analytics_dashboard`
// answer for the fake backend, so the dev preview's dashboard shows its
// campaign widgets. Wire it with `installFakeOverview(fake)` in
// ui/dev/preview.tsx.
import type { DashboardView } from "../../api/dashboard";

const DAY = 24 * 3600_000;

/** A workspace a few campaigns in: one sending (it moves on with each read), three sent. */
export function sampleOverview(now = Date.now(), reads = 0): DashboardView {
  const at = (days: number) => new Date(now - days * DAY).toISOString();
  const monday = new Date(now);
  monday.setUTCHours(0, 0, 0, 0);
  monday.setUTCDate(monday.getUTCDate() - ((monday.getUTCDay() + 6) % 7));
  const sent = Math.min(2400 - 15, 812 + reads * 37);
  return {
    empty: false,
    recent: [
      { id: "cmp-live", name: "Black Friday preview", channel: "email", status: "sending", startedAt: at(0.05), sent, basis: "sent", openRate: 0.21, clickRate: 0.03, deliveredRate: 0.97 },
      { id: "cmp-news", name: "November newsletter", channel: "email", status: "sent", startedAt: at(12), sent: 4210, basis: "delivered", openRate: 0.4286, clickRate: 0.051, deliveredRate: 0.97 },
      { id: "cmp-text", name: "Flash sale text", channel: "sms", status: "sent", startedAt: at(19), sent: 950, basis: "delivered", openRate: 0, clickRate: 0.082, deliveredRate: 0.97 },
      { id: "cmp-oct", name: "October product update", channel: "email", status: "sent", startedAt: at(36), sent: 3020, basis: "sent", openRate: 0.35, clickRate: 0.04, deliveredRate: 0.97 },
    ],
    sending: { id: "cmp-live", name: "Black Friday preview", channel: "email", recipients: 2400, sent, failed: 12, inDoubt: 3 },
    last30Days: { sent: 5160 + sent, uniqueOpens: 2104, uniqueClicks: 240, unsubscribes: 31 },
    previous30Days: { sent: 4020, uniqueOpens: 2300, uniqueClicks: 0, unsubscribes: 18 },
    growth: Array.from({ length: 12 }, (_, i) => {
      const subscribed = 10 + ((i * 7) % 13);
      const unsubscribed = 2 + (i % 4);
      return { weekStart: new Date(monday.getTime() - (11 - i) * 7 * DAY).toISOString(), subscribed, unsubscribed, net: subscribed - unsubscribed };
    }),
  };
}

/** Makes `fake` answer `analytics_dashboard` with `view` (default: the sample, moving on at each read). */
export function installFakeOverview(fake: { on(cmd: string, handler: () => unknown): unknown }, view?: DashboardView): void {
  let reads = 0;
  fake.on("analytics_dashboard", () => view ?? sampleOverview(Date.now(), reads++));
}
