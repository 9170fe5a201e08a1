// The last 30 days against the 30 before: sent, unique opens, unique
// clicks and unsubscribes, each with its change coloured as news.
import { Card, Group, SimpleGrid, Skeleton, Stack, Text } from "@mantine/core";
import type { DashboardTotals, DashboardView } from "../../api/dashboard";
import { formatCount } from "../../lib/format";
import { change, toneColor, type Better } from "./change";

const METRICS: { key: keyof DashboardTotals; label: string; better: Better; testId: string }[] = [
  { key: "sent", label: "Sent", better: "up", testId: "period-sent" },
  { key: "uniqueOpens", label: "Unique opens", better: "up", testId: "period-opens" },
  { key: "uniqueClicks", label: "Unique clicks", better: "up", testId: "period-clicks" },
  // More people leaving is bad news.
  { key: "unsubscribes", label: "Unsubscribes", better: "down", testId: "period-unsubscribes" },
];

function Metric({ label, current, previous, better, testId }: { label: string; current: number; previous: number; better: Better; testId: string }) {
  const c = change(current, previous, better);
  return (
    <Stack gap={2} data-testid={testId}>
      <Text size="xs" c="dimmed" tt="uppercase" fw={600} style={{ letterSpacing: 0.4 }}>
        {label}
      </Text>
      <Text fz={24} fw={700} lh={1.2} className="tabular" data-testid={`${testId}-value`}>
        {formatCount(current)}
      </Text>
      <Group gap={6} wrap="nowrap">
        <Text size="sm" fw={600} c={toneColor(c.tone)} className="tabular" data-testid={`${testId}-change`} data-tone={c.tone}>
          {c.label}
        </Text>
        <Text size="xs" c="dimmed" className="tabular">
          vs {formatCount(previous)}
        </Text>
      </Group>
    </Stack>
  );
}

export function PeriodCard({ data }: { data: DashboardView | null }) {
  return (
    <Card h="100%" data-testid="dashboard-period">
      <Stack gap={2} mb="md">
        <Text fw={650}>Last 30 days</Text>
        <Text size="xs" c="dimmed">
          Compared with the 30 days before
        </Text>
      </Stack>
      <SimpleGrid cols={2} spacing="lg" verticalSpacing="lg">
        {METRICS.map((m) =>
          data ? (
            <Metric key={m.key} label={m.label} current={data.last30Days[m.key]} previous={data.previous30Days[m.key]} better={m.better} testId={m.testId} />
          ) : (
            <Skeleton key={m.key} h={70} />
          ),
        )}
      </SimpleGrid>
      <Text size="xs" c="dimmed" mt="lg">
        Opens and clicks count each person once per campaign, people only (no mail scanners). Unsubscribes include SMS opt-outs.
      </Text>
    </Card>
  );
}
