import { matchPath } from "react-router";

/**
 * The analytics screens' routes, as the router declares them (App.tsx) and
 * as the sidebar recognises them: one spelling for both, so a route that
 * moves cannot leave the sidebar lighting the wrong item.
 */
export const ANALYTICS_ROUTES = {
  /** Campaigns side by side. */
  compare: "campaigns/compare",
  /** One campaign's report. */
  report: "campaigns/:id/analytics",
} as const;

/** The analytics screens: the comparison, and any campaign's report. */
export function isAnalyticsPath(path: string): boolean {
  return Object.values(ANALYTICS_ROUTES).some((pattern) => matchPath(`/${pattern}`, path) !== null);
}
