import { invoke } from "@tauri-apps/api/core";
import type { CampaignReport } from "../bindings/CampaignReport";
import type { ComparisonView } from "../bindings/ComparisonView";
import type { SeriesView } from "../bindings/SeriesView";

export type { CampaignReport, ComparisonView, SeriesView };
export type { CampaignMetricsView } from "../bindings/CampaignMetricsView";
export type { AnalyticsBasis } from "../bindings/AnalyticsBasis";
export type { AnalyticsRates } from "../bindings/AnalyticsRates";
export type { EventCount } from "../bindings/EventCount";
export type { TopLinkView } from "../bindings/TopLinkView";

/** The parts of a campaign's report the CSV export offers. */
export type AnalyticsExportPart = "metrics" | "series" | "roster";

/** Every number of campaign `id`, its ten top links, and whether a relay reports opens and clicks. */
export function analyticsCampaign(id: string): Promise<CampaignReport> {
  return invoke<CampaignReport>("analytics_campaign", { id });
}

/**
 * Human opens and clicks of campaign `id` from `from` (null: its send) to
 * `to` (null: now), RFC 3339; hourly up to 7 days, daily beyond.
 */
export function analyticsSeries(id: string, from: string | null, to: string | null): Promise<SeriesView> {
  return invoke<SeriesView>("analytics_series", { id, from, to });
}

/** Two to five campaigns side by side (`validation` on `ids` otherwise). */
export function analyticsCompare(ids: string[]): Promise<ComparisonView> {
  return invoke<ComparisonView>("analytics_compare", { ids });
}

/** One part of campaign `id`'s report as CSV text. */
export function analyticsExport(id: string, part: AnalyticsExportPart): Promise<string> {
  return invoke<string>("analytics_export", { id, part });
}
