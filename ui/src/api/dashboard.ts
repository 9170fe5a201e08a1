// The typed wrapper for the dashboard's command (docs/ipc.md,
// `analytics_dashboard`); its types come from src/bindings.
import { invoke } from "@tauri-apps/api/core";
import type { DashboardView } from "../bindings/DashboardView";

export type { DashboardView };
export type { DashboardCampaign } from "../bindings/DashboardCampaign";
export type { DashboardSending } from "../bindings/DashboardSending";
export type { DashboardTotals } from "../bindings/DashboardTotals";
export type { DashboardGrowthWeek } from "../bindings/DashboardGrowthWeek";
export type { DashboardRateBasis } from "../bindings/DashboardRateBasis";

/** The last campaigns, the one sending now, the last 30 days vs the 30 before, and 12 weeks of audience growth. */
export function analyticsDashboard(): Promise<DashboardView> {
  return invoke<DashboardView>("analytics_dashboard");
}
