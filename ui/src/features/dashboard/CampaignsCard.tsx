// The campaigns summary: the one sending now on top with its progress, then
// the last campaigns with their key rates, each opening its report.
import { Anchor, Badge, Button, Card, Group, Progress, Skeleton, Stack, Text, ThemeIcon, UnstyledButton } from "@mantine/core";
import { IconMail, IconMessage, IconPlus, IconSend } from "@tabler/icons-react";
import { Link } from "react-router";
import type { DashboardCampaign, DashboardRateBasis, DashboardSending, DashboardView } from "../../api/dashboard";
import type { Channel } from "../../bindings/Channel";
import { formatCount, formatDate, plural } from "../../lib/format";
import { CampaignStatusBadge } from "../campaigns/CampaignStatusBadge";
import classes from "./DashboardPage.module.css";

const rateFormat = new Intl.NumberFormat(undefined, { style: "percent", minimumFractionDigits: 1, maximumFractionDigits: 1 });

/** A share as "42.9%"; "—" when there is no basis to take it of yet. */
export function formatRate(rate: number | null): string {
  return rate === null ? "—" : rateFormat.format(rate);
}

const BASIS: Record<DashboardRateBasis, string> = {
  delivered: "of delivered",
  sent: "of sent",
};

function ChannelIcon({ channel }: { channel: Channel }) {
  const sms = channel === "sms";
  return (
    <ThemeIcon variant="light" color={sms ? "grape" : "indigo"} radius="md" size={34} aria-label={sms ? "SMS" : "Email"}>
      {sms ? <IconMessage size={18} /> : <IconMail size={18} />}
    </ThemeIcon>
  );
}

function Rate({ label, rate }: { label: string; rate: number | null }) {
  return (
    <Stack gap={0} align="flex-end" miw={64}>
      <Text size="sm" fw={600} className="tabular">
        {formatRate(rate)}
      </Text>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
    </Stack>
  );
}

function CampaignRow({ c }: { c: DashboardCampaign }) {
  return (
    <UnstyledButton component={Link} to={`/campaigns/${c.id}/analytics`} className={classes.recentRow} data-testid="dashboard-campaign-row">
      <Group wrap="nowrap" gap="sm">
        <ChannelIcon channel={c.channel} />
        <Stack gap={2} style={{ minWidth: 0, flex: 1 }}>
          <Group gap="xs" wrap="nowrap">
            <Text size="sm" fw={600} truncate>
              {c.name}
            </Text>
            <CampaignStatusBadge status={c.status} />
          </Group>
          <Text size="xs" c="dimmed" className="tabular">
            {formatDate(c.startedAt)} · {formatCount(c.sent)} sent · rates {BASIS[c.basis]}
          </Text>
        </Stack>
        {/* Texts have no opens and no tracked links: a text shows how many arrived. */}
        {c.channel === "email" ? (
          <>
            <Rate label="opens" rate={c.openRate} />
            <Rate label="clicks" rate={c.clickRate} />
          </>
        ) : (
          <Rate label="delivered" rate={c.deliveredRate} />
        )}
      </Group>
    </UnstyledButton>
  );
}

/** sent + failed + in doubt of the recipients: what the engine has handled. */
function SendingNow({ s }: { s: DashboardSending }) {
  const handled = s.sent + s.failed + s.inDoubt;
  const total = Math.max(s.recipients, 1);
  const share = (n: number) => (n / total) * 100;
  return (
    <UnstyledButton component={Link} to={`/campaigns/${s.id}`} className={classes.sendingRow} data-testid="dashboard-sending">
      <Stack gap={8}>
        <Group justify="space-between" wrap="nowrap">
          <Group gap="xs" wrap="nowrap" style={{ minWidth: 0 }}>
            <ChannelIcon channel={s.channel} />
            <Text size="sm" fw={600} truncate>
              {s.name}
            </Text>
          </Group>
          <Badge variant="light" color="indigo" tt="none" leftSection={<IconSend size={12} />}>
            Sending now
          </Badge>
        </Group>
        <Progress.Root size="md" aria-label="Sending progress">
          <Progress.Section value={share(s.sent)} color="teal" />
          <Progress.Section value={share(s.failed)} color="red" />
          <Progress.Section value={share(s.inDoubt)} color="orange" />
        </Progress.Root>
        <Text size="xs" c="dimmed" className="tabular" data-testid="dashboard-sending-handled">
          {formatCount(handled)} of {plural(s.recipients, "recipient")} handled · {Math.floor(share(handled))}%
          {s.failed > 0 && ` · ${formatCount(s.failed)} failed`}
          {s.inDoubt > 0 && ` · ${formatCount(s.inDoubt)} in doubt`}
        </Text>
      </Stack>
    </UnstyledButton>
  );
}

export function CampaignsCard({ data }: { data: DashboardView | null }) {
  // The sending campaign is shown on top with its progress, not twice.
  const rows = data ? data.recent.filter((c) => c.id !== data.sending?.id) : [];
  return (
    <Card h="100%" data-testid="dashboard-campaigns">
      <Group justify="space-between" mb="md">
        <Text fw={650}>Campaigns</Text>
        <Anchor component={Link} to="/campaigns" size="sm">
          View all
        </Anchor>
      </Group>
      {!data ? (
        <Stack gap="sm">
          {[0, 1, 2, 3].map((i) => (
            <Skeleton key={i} h={44} />
          ))}
        </Stack>
      ) : !data.sending && rows.length === 0 ? (
        <Stack align="flex-start" gap="sm" py="md">
          <ThemeIcon variant="light" color="indigo" radius="xl" size={40}>
            <IconSend size={20} />
          </ThemeIcon>
          <Text fw={600}>No campaigns yet</Text>
          <Text size="sm" c="dimmed">
            Campaigns you send appear here with their opens and clicks.
          </Text>
          <Button component={Link} to="/campaigns/new" leftSection={<IconPlus size={16} />} data-testid="dashboard-create-campaign">
            Create campaign
          </Button>
        </Stack>
      ) : (
        <Stack gap={2}>
          {data.sending && <SendingNow s={data.sending} />}
          {rows.map((c) => (
            <CampaignRow key={c.id} c={c} />
          ))}
        </Stack>
      )}
    </Card>
  );
}
