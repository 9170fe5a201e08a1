// The analytics commands (docs/ipc.md, "Analytics") over a FakeBackend:
// reports set by the test, comparisons built from them, and CSV exports
// that name the part asked for. The numbers are the test's; the real ones
// are computed and tested in Rust.
import type { CampaignMetricsView } from "../src/bindings/CampaignMetricsView";
import type { CampaignReport } from "../src/bindings/CampaignReport";
import type { ComparisonView } from "../src/bindings/ComparisonView";
import { commandError, type FakeBackend } from "./fakeBackend";

/** An email campaign sent to 8, 7 delivered, 3 opened (42.9 %), 2 clicked. */
export function metrics(partial: Partial<CampaignMetricsView> = {}): CampaignMetricsView {
  return {
    id: "cmp-1",
    name: "Spring sale",
    channel: "email",
    status: "sent",
    startedAt: "2026-03-01T09:00:00.000Z",
    finishedAt: "2026-03-01T09:05:00.000Z",
    recipients: 8,
    excluded: [
      { reason: "no_consent", count: 1 },
      { reason: "unsubscribed", count: 2 },
    ],
    excludedTotal: 3,
    queued: 0,
    sent: 8,
    failed: 0,
    inDoubt: 0,
    suppressed: 0,
    delivered: 7,
    bouncedHard: 1,
    bouncedSoft: 0,
    complained: 0,
    unsubscribed: 1,
    opened: 3,
    opensHuman: { unique: 3, total: 5 },
    opensMachine: { unique: 2, total: 2 },
    clicksHuman: { unique: 2, total: 4 },
    clicksScanner: { unique: 0, total: 0 },
    sms: { delivered: 0, undelivered: 0, failed: 0, optOuts: 0 },
    basis: "delivered",
    basisCount: 7,
    rates: { open: 3 / 7, click: 2 / 7, clickToOpen: 2 / 3, bounce: 1 / 7, complaint: 0, unsubscribe: 1 / 7 },
    ...partial,
  };
}

export function report(partial: Partial<CampaignReport> = {}, m: Partial<CampaignMetricsView> = {}): CampaignReport {
  return {
    metrics: metrics(m),
    topLinks: [
      { url: "https://example.com/sale", unique: 2, total: 3 },
      { url: "https://example.com/shoes", unique: 1, total: 1 },
    ],
    relayConfigured: true,
    lastSyncAt: "2026-03-01T12:00:00.000Z",
    ...partial,
  };
}

export class FakeAnalytics {
  reports = new Map<string, CampaignReport>();

  constructor(private fake: FakeBackend) {}

  /** Answers the analytics commands from `reports`. */
  install(): this {
    const f = this.fake;
    f.on("analytics_campaign", (a) => structuredClone(this.find(a.id as string)));
    f.on("analytics_compare", (a) => this.compare(a.ids as string[]));
    f.on("analytics_export", (a) => `metric,value\r\npart,${a.part as string}\r\n`);
    return this;
  }

  add(r: CampaignReport): CampaignReport {
    this.reports.set(r.metrics.id, r);
    return r;
  }

  private find(id: string): CampaignReport {
    const r = this.reports.get(id);
    if (!r) throw commandError("not_found", `campaign ${id} not found`);
    return r;
  }

  private compare(ids: string[]): ComparisonView {
    if (ids.length < 2 || ids.length > 5) throw commandError("validation", `compare takes 2 to 5 campaigns, not ${ids.length}`, "ids");
    const campaigns = ids.map((id) => structuredClone(this.find(id).metrics));
    return { campaigns, series: ids.map((id) => ({ id, startLocal: null, points: [] })) };
  }
}
