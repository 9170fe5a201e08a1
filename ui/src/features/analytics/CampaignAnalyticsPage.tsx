import { Alert, Anchor, Badge, Button, Card, Group, SimpleGrid, Skeleton, Stack, Text } from "@mantine/core";
import { IconArrowsDiff, IconInfoCircle, IconRefresh } from "@tabler/icons-react";
import { useCallback, useEffect, useState } from "react";
import { Link, useParams } from "react-router";
import { analyticsCampaign, type CampaignMetricsView, type CampaignReport } from "../../api/analytics";
import { errorMessage } from "../../api/errors";
import { ErrorState } from "../../components/ErrorState";
import { Page } from "../../components/Page";
import { PageHeader } from "../../components/PageHeader";
import { useWorkspaceStore } from "../../stores/workspace";
import { CampaignStatusBadge } from "../campaigns/CampaignStatusBadge";
import { formatInstant } from "../campaigns/time";
import { AnalyticsChart } from "./AnalyticsChart";
import { ExportMenu, fileStem } from "./ExportMenu";
import { MetricDetails } from "./MetricDetails";
import { MetricGrid, MetricGridSkeleton } from "./MetricGrid";
import { basisLabel, hasEvents } from "./metrics";
import { RangePicker, SINCE_SEND, type Range } from "./RangePicker";
import { TopLinks } from "./TopLinks";
import { useLiveRefresh } from "./useLiveRefresh";

const ms = (iso: string | null) => (iso ? Date.parse(iso) : null);

/** "Sent 12 Mar 2026, 09:00 · finished 12 Mar 2026, 09:40", on the workspace's clocks. */
function sentLine(m: CampaignMetricsView, zone: string | undefined): string {
  if (!m.startedAt) return "Not sent yet";
  const sent = `Sent ${formatInstant(ms(m.startedAt), zone)}`;
  return m.finishedAt ? `${sent} · finished ${formatInstant(ms(m.finishedAt), zone)}` : sent;
}

/** Why the report is still empty, and what to do about it. */
function Notice({ report, zone }: { report: CampaignReport; zone: string | undefined }) {
  const m = report.metrics;
  if (!m.startedAt && m.sent === 0) {
    return (
      <Alert variant="light" color="gray" icon={<IconInfoCircle size={18} />} data-testid="analytics-not-sent">
        This campaign has not been sent yet. Its report fills in once it is.
      </Alert>
    );
  }
  if (hasEvents(m)) return null;
  if (!report.relayConfigured) {
    return (
      <Alert variant="light" color="yellow" icon={<IconInfoCircle size={18} />} title="Tracking needs a relay" data-testid="analytics-no-relay">
        {m.channel === "sms" ? "Delivery reports and opt-outs" : "Opens, clicks, deliveries and bounces"} reach Herald through the relay, and none is set up, so
        there is nothing to count yet.{" "}
        <Anchor component={Link} to="/settings" size="sm">
          Set up the relay in Settings
        </Anchor>
      </Alert>
    );
  }
  return (
    <Alert variant="light" color="indigo" icon={<IconInfoCircle size={18} />} data-testid="analytics-no-events">
      {m.channel === "sms" ? "No delivery reports yet" : "No opens or clicks yet"} — they appear as the relay reports them.
      {report.lastSyncAt ? ` Last synced ${formatInstant(ms(report.lastSyncAt), zone)}.` : ""}
    </Alert>
  );
}

function LoadingBody() {
  return (
    <Stack gap="lg" data-testid="analytics-loading">
      <MetricGridSkeleton />
      <Card>
        <Skeleton h={12} w="30%" mb="md" />
        <Skeleton h={220} />
      </Card>
    </Stack>
  );
}

/** /campaigns/:id/analytics: how a campaign did, for any range, with its CSV exports. */
export function CampaignAnalyticsPage() {
  const { id = "" } = useParams();
  // Another campaign starts afresh: its own range, no numbers of the last one.
  return <CampaignAnalytics key={id} id={id} />;
}

function CampaignAnalytics({ id }: { id: string }) {
  const zone = useWorkspaceStore((s) => s.info?.timeZone);
  const [report, setReport] = useState<CampaignReport | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [refreshing, setRefreshing] = useState(false);
  // Bumped after every reading, so the charts are read again with the numbers.
  const [refreshKey, setRefreshKey] = useState(0);
  const [range, setRange] = useState<Range>(SINCE_SEND);

  const load = useCallback(
    () =>
      analyticsCampaign(id).then(
        (r) => {
          setReport(r);
          setError(null);
          setRefreshKey((k) => k + 1);
        },
        (e: unknown) => setError(errorMessage(e)),
      ),
    [id],
  );
  /** The Refresh button: the same reading, shown as under way. */
  const refresh = () => {
    setRefreshing(true);
    void load().finally(() => setRefreshing(false));
  };

  useEffect(() => {
    void load();
  }, [load]);
  useLiveRefresh(load);

  const m = report?.metrics;
  const stem = m ? fileStem(m.name) : "campaign";
  return (
    <Page>
      <div data-testid="analytics-page">
        <Anchor component={Link} to={`/campaigns/${id}`} size="sm" c="dimmed" mb="xs" display="inline-block" data-testid="analytics-back">
          ← {m ? m.name : "Campaign"}
        </Anchor>
        <PageHeader
          title={
            m ? (
              <Group gap="sm" component="span">
                <span data-testid="analytics-title">{m.name}</span>
                <Badge variant="outline" color="gray" size="lg" tt="none" fw={600} data-testid="analytics-channel">
                  {m.channel === "sms" ? "SMS" : "Email"}
                </Badge>
                <CampaignStatusBadge status={m.status} size="lg" />
              </Group>
            ) : (
              "Report"
            )
          }
          description={m ? `${sentLine(m, zone)} · ${basisLabel(m)}` : undefined}
          actions={
            m && (
              <>
                <Button variant="subtle" color="gray" leftSection={<IconRefresh size={16} />} loading={refreshing} onClick={refresh} data-testid="analytics-refresh">
                  Refresh
                </Button>
                <Button variant="default" leftSection={<IconArrowsDiff size={16} />} component={Link} to={`/campaigns/compare?ids=${encodeURIComponent(id)}`} data-testid="analytics-compare">
                  Compare with…
                </Button>
                <ExportMenu campaignId={id} name={m.name} />
              </>
            )
          }
        />
        {error && !report ? (
          <ErrorState title="The report could not be loaded" message={error} onRetry={refresh} testId="analytics-error" />
        ) : !report || !m ? (
          <LoadingBody />
        ) : (
          <Stack gap="lg">
            {error && (
              <Text size="sm" c="red" data-testid="analytics-refresh-error">
                The numbers could not be read again: {error}
              </Text>
            )}
            <Notice report={report} zone={zone} />
            <MetricGrid metrics={m} />
            {/* Texts carry no pixel and no tracked links: no opens or clicks over time, no links. */}
            {m.channel === "email" && (
              <Stack gap="xs">
                <Group justify="space-between" align="flex-end" wrap="wrap">
                  <Text fw={650}>Over time</Text>
                  {/* Keyed by the zone: the custom inputs start on the workspace's clocks once they are known. */}
                  <RangePicker key={zone ?? "UTC"} value={range} onChange={setRange} startedAt={m.startedAt} zone={zone ?? "UTC"} />
                </Group>
                <AnalyticsChart spec={{ kind: "engagement", campaignId: id, from: range.from, to: range.to }} title="Opens and clicks" exportName={`${stem}-engagement`} refreshKey={refreshKey} />
              </Stack>
            )}
            <SimpleGrid cols={{ base: 1, md: m.channel === "email" ? 2 : 1 }} spacing="lg">
              <AnalyticsChart spec={{ kind: "funnel", campaignId: id }} title="Funnel" exportName={`${stem}-funnel`} refreshKey={refreshKey} />
              {m.channel === "email" && <TopLinks links={report.topLinks} />}
            </SimpleGrid>
            <MetricDetails metrics={m} />
          </Stack>
        )}
      </div>
    </Page>
  );
}
