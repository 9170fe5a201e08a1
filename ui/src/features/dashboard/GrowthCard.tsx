// Audience growth: the weekly chart (drawn by the backend) and one line
// saying where the period ended up.
import { Stack, Text } from "@mantine/core";
import type { DashboardGrowthWeek } from "../../api/dashboard";
import { formatCount } from "../../lib/format";
import { AnalyticsChart } from "../analytics/AnalyticsChart";

/** "Net +34 subscribers over 12 weeks (52 subscribed, 18 unsubscribed)". */
export function growthSummary(weeks: DashboardGrowthWeek[]): string {
  const subscribed = weeks.reduce((n, w) => n + w.subscribed, 0);
  const unsubscribed = weeks.reduce((n, w) => n + w.unsubscribed, 0);
  const net = subscribed - unsubscribed;
  const sign = net > 0 ? "+" : net < 0 ? "−" : "";
  const span = weeks.length === 1 ? "this week" : `over ${weeks.length} weeks`;
  return `Net ${sign}${formatCount(Math.abs(net))} email ${Math.abs(net) === 1 ? "subscriber" : "subscribers"} ${span} (${formatCount(subscribed)} subscribed, ${formatCount(unsubscribed)} unsubscribed)`;
}

/** `refreshKey` changes when the dashboard is reloaded: the chart reads again. */
export function GrowthCard({ weeks, refreshKey }: { weeks: DashboardGrowthWeek[]; refreshKey: unknown }) {
  return (
    <Stack gap={6} data-testid="dashboard-growth">
      <AnalyticsChart spec={{ kind: "growth" }} title="Audience growth" refreshKey={refreshKey} />
      <Text size="sm" c="dimmed" px={4} className="tabular" data-testid="growth-summary">
        {growthSummary(weeks)}
      </Text>
    </Stack>
  );
}
