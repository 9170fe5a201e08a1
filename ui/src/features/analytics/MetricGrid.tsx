import { Card, Group, SimpleGrid, Skeleton, Stack, Text, ThemeIcon } from "@mantine/core";
import { IconAlertOctagon, IconBan, IconClick, IconMailCheck, IconMailOpened, IconMailX, IconMessageCheck, IconMessageX, IconPointer, IconUserMinus } from "@tabler/icons-react";
import type { ReactNode } from "react";
import type { CampaignMetricsView } from "../../api/analytics";
import { formatCount } from "../../lib/format";
import { formatRate, share } from "./metrics";

type Metric = {
  testId: string;
  label: string;
  value: string;
  /** What the number is of, in a sentence fragment. */
  hint: string;
  /** A quieter line below: what is deliberately not counted. */
  aside?: string;
  icon: ReactNode;
  color: string;
};

/** One headline number, the dashboard's Stat card shape. */
function MetricCard({ m }: { m: Metric }) {
  return (
    <Card>
      <Group justify="space-between" align="flex-start" wrap="nowrap">
        <Stack gap={4} miw={0}>
          <Text size="sm" c="dimmed" fw={500}>
            {m.label}
          </Text>
          <Text fz={28} fw={700} lh={1.1} className="tabular" data-testid={m.testId}>
            {m.value}
          </Text>
          <Text size="xs" c="dimmed" className="tabular">
            {m.hint}
          </Text>
          {m.aside && (
            <Text size="xs" c="dimmed" fs="italic" className="tabular" data-testid={`${m.testId}-aside`}>
              {m.aside}
            </Text>
          )}
        </Stack>
        <ThemeIcon variant="light" color={m.color} size={40} radius="md">
          {m.icon}
        </ThemeIcon>
      </Group>
    </Card>
  );
}

const ICON = { size: 20, stroke: 1.7 };

function basisHint(m: CampaignMetricsView): string {
  return m.basis === "delivered" ? `of ${formatCount(m.sent)} sent · rates on delivered` : "no delivery reports yet · rates on sent";
}

function emailMetrics(m: CampaignMetricsView): Metric[] {
  const onBasis = (rate: number | null) => (rate === null ? `of ${m.basis}` : `${formatRate(rate)} of ${m.basis}`);
  return [
    m.basis === "delivered"
      ? { testId: "metric-delivered", label: "Delivered", value: formatCount(m.delivered), hint: basisHint(m), icon: <IconMailCheck {...ICON} />, color: "indigo" }
      : { testId: "metric-delivered", label: "Sent", value: formatCount(m.sent), hint: basisHint(m), icon: <IconMailCheck {...ICON} />, color: "indigo" },
    {
      testId: "metric-open-rate",
      label: "Open rate",
      value: formatRate(m.rates.open),
      hint: `${formatCount(m.opened)} ${m.opened === 1 ? "person" : "people"} opened`,
      aside: m.opensMachine.total > 0 ? `+ ${formatCount(m.opensMachine.total)} machine ${m.opensMachine.total === 1 ? "open" : "opens"} not counted` : undefined,
      icon: <IconMailOpened {...ICON} />,
      color: "indigo",
    },
    {
      testId: "metric-click-rate",
      label: "Click rate",
      value: formatRate(m.rates.click),
      hint: `${formatCount(m.clicksHuman.unique)} ${m.clicksHuman.unique === 1 ? "person" : "people"} clicked`,
      aside: m.clicksScanner.total > 0 ? `+ ${formatCount(m.clicksScanner.total)} scanner ${m.clicksScanner.total === 1 ? "click" : "clicks"} not counted` : undefined,
      icon: <IconClick {...ICON} />,
      color: "teal",
    },
    {
      testId: "metric-click-to-open",
      label: "Click-to-open",
      value: formatRate(m.rates.clickToOpen),
      hint: "of those who opened",
      icon: <IconPointer {...ICON} />,
      color: "teal",
    },
    { testId: "metric-unsubscribes", label: "Unsubscribes", value: formatCount(m.unsubscribed), hint: onBasis(share(m.unsubscribed, m.basisCount)), icon: <IconUserMinus {...ICON} />, color: "orange" },
    {
      testId: "metric-bounces",
      label: "Bounces",
      value: formatCount(m.bouncedHard + m.bouncedSoft),
      hint: `${formatCount(m.bouncedHard)} hard / ${formatCount(m.bouncedSoft)} soft · ${onBasis(m.rates.bounce)}`,
      icon: <IconMailX {...ICON} />,
      color: "red",
    },
    { testId: "metric-complaints", label: "Complaints", value: formatCount(m.complained), hint: onBasis(m.rates.complaint), icon: <IconAlertOctagon {...ICON} />, color: "red" },
  ];
}

function smsMetrics(m: CampaignMetricsView): Metric[] {
  const ofSent = (part: number) => {
    const r = share(part, m.sent);
    return r === null ? "of sent" : `${formatRate(r)} of ${formatCount(m.sent)} sent`;
  };
  return [
    { testId: "metric-delivered", label: "Delivered", value: formatCount(m.sms.delivered), hint: `${ofSent(m.sms.delivered)} · rates on ${m.basis}`, icon: <IconMessageCheck {...ICON} />, color: "indigo" },
    { testId: "metric-undelivered", label: "Undelivered", value: formatCount(m.sms.undelivered), hint: ofSent(m.sms.undelivered), icon: <IconMessageX {...ICON} />, color: "orange" },
    {
      testId: "metric-failed",
      label: "Failed",
      value: formatCount(m.sms.failed + m.failed),
      hint: `${formatCount(m.failed)} refused when sent / ${formatCount(m.sms.failed)} at the carrier`,
      icon: <IconMessageX {...ICON} />,
      color: "red",
    },
    {
      testId: "metric-opt-outs",
      label: "Opt-outs",
      value: formatCount(m.sms.optOuts),
      hint: m.rates.unsubscribe === null ? "STOP replies" : `${formatRate(m.rates.unsubscribe)} of ${m.basis}`,
      icon: <IconBan {...ICON} />,
      color: "orange",
    },
  ];
}

/** The headline cards: email rates on their basis, or an SMS campaign's carrier reports. */
export function MetricGrid({ metrics }: { metrics: CampaignMetricsView }) {
  const cards = metrics.channel === "sms" ? smsMetrics(metrics) : emailMetrics(metrics);
  return (
    <SimpleGrid cols={{ base: 1, xs: 2, md: 4 }} spacing="lg" data-testid="metric-grid">
      {cards.map((m) => (
        <MetricCard key={m.testId} m={m} />
      ))}
    </SimpleGrid>
  );
}

/** The cards' shape while the report loads. */
export function MetricGridSkeleton() {
  return (
    <SimpleGrid cols={{ base: 1, xs: 2, md: 4 }} spacing="lg" data-testid="metric-grid-loading">
      {[0, 1, 2, 3].map((i) => (
        <Card key={i}>
          <Stack gap={8}>
            <Skeleton h={12} w="40%" />
            <Skeleton h={28} w="55%" />
            <Skeleton h={10} w="70%" />
          </Stack>
        </Card>
      ))}
    </SimpleGrid>
  );
}
