import { Alert, Button, Card, Group, Progress, SimpleGrid, Stack, Text } from "@mantine/core";
import { IconAlertTriangle, IconHelpCircle, IconRefresh } from "@tabler/icons-react";
import type { CampaignProgress } from "../../../api/campaigns";
import { formatCount } from "../../../lib/format";
import { formatEta } from "../time";

function Stat({ label, value, color, testId }: { label: string; value: string; color?: string; testId: string }) {
  return (
    <Stack gap={0}>
      <Text size="xs" c="dimmed" tt="uppercase" fw={600} style={{ letterSpacing: 0.4 }}>
        {label}
      </Text>
      <Text fz={22} fw={650} c={color} className="tabular" data-testid={testId}>
        {value}
      </Text>
    </Stack>
  );
}

const pct = (part: number, whole: number) => (whole > 0 ? `${Math.round((part / whole) * 1000) / 10}%` : "—");

type Props = {
  progress: CampaignProgress;
  /** False when opens and clicks are not counted (tracking off, or no relay): they show as "—", not as 0 %. */
  tracked?: boolean;
  onRetryFailed: () => void;
  onResendInDoubt: () => void;
  channel?: "email" | "sms";
};

/** Where sending stands: counts, a bar, the rate and time left, and what to do about failures. */
export function ProgressCard({ progress, tracked = true, onRetryFailed, onResendInDoubt, channel = "email" }: Props) {
  const c = progress.counts;
  const done = c.sent + c.failed + c.inDoubt + c.suppressed;
  const total = Math.max(c.recipients, 1);
  const sending = progress.status === "sending";
  const finished = ["sent", "cancelled", "failed"].includes(progress.status);
  return (
    <Card data-testid="campaign-progress">
      <Stack gap="md">
        <Group justify="space-between" align="flex-end">
          <Text fw={650}>{sending ? "Sending" : finished ? "Delivery" : "Progress"}</Text>
          {sending && (
            <Text size="sm" c="dimmed" className="tabular" data-testid="progress-rate">
              {progress.ratePerSecond.toFixed(1)} {channel === "sms" ? "texts" : "emails"}/s · {formatEta(progress.etaSeconds)} left
            </Text>
          )}
        </Group>
        <Progress.Root size="lg" aria-label="Sending progress">
          <Progress.Section value={(c.sent / total) * 100} color="teal" data-testid="progress-bar-sent" />
          <Progress.Section value={(c.failed / total) * 100} color="red" />
          <Progress.Section value={(c.inDoubt / total) * 100} color="orange" />
          <Progress.Section value={(c.suppressed / total) * 100} color="gray" />
        </Progress.Root>
        <Text size="xs" c="dimmed" className="tabular">
          {formatCount(done)} of {formatCount(c.recipients)} handled
        </Text>
        <SimpleGrid cols={{ base: 2, sm: 4, lg: 6 }} spacing="lg">
          <Stat label="Sent" value={formatCount(c.sent)} color="teal" testId="progress-sent" />
          <Stat label="Remaining" value={formatCount(c.queued)} testId="progress-remaining" />
          <Stat label="Failed" value={formatCount(c.failed)} color={c.failed ? "red" : undefined} testId="progress-failed" />
          <Stat label="In doubt" value={formatCount(c.inDoubt)} color={c.inDoubt ? "orange" : undefined} testId="progress-in-doubt" />
          {channel === "sms" ? (
            <>
              <Stat label="Delivered" value={`${formatCount(c.delivered)} · ${pct(c.delivered, c.sent)}`} color="teal" testId="progress-delivered" />
              <Stat label="Undelivered" value={formatCount(c.undelivered)} color={c.undelivered ? "red" : undefined} testId="progress-undelivered" />
            </>
          ) : (
            <>
              <Stat label="Opened" value={tracked ? `${formatCount(c.opened)} · ${pct(c.opened, c.sent)}` : "—"} testId="progress-opened" />
              <Stat label="Clicked" value={tracked ? `${formatCount(c.clicked)} · ${pct(c.clicked, c.sent)}` : "—"} testId="progress-clicked" />
            </>
          )}
        </SimpleGrid>
        {progress.lastError && (
          <Alert color="red" variant="light" icon={<IconAlertTriangle size={18} />} title="The last error" data-testid="progress-error">
            {progress.lastError}
          </Alert>
        )}
        {c.inDoubt > 0 && !sending && (
          <Alert color="orange" variant="light" icon={<IconHelpCircle size={18} />} title={`${formatCount(c.inDoubt)} in doubt`} data-testid="in-doubt-explainer">
            <Stack gap="xs" align="flex-start">
              <Text size="sm">
                The connection to the mail server broke after these messages were handed over but before the server confirmed them.
                They may have arrived or not. Resending is safe for most campaigns, but some people could get the email twice.
              </Text>
              <Button size="xs" variant="white" color="orange" onClick={onResendInDoubt} data-testid="resend-in-doubt">
                Resend these…
              </Button>
            </Stack>
          </Alert>
        )}
        {c.failed > 0 && !sending && (
          <Group justify="space-between" wrap="nowrap">
            <Text size="sm" c="dimmed">
              {formatCount(c.failed)} could not be delivered. See why in the table below; a retry helps when the reason was temporary.
            </Text>
            <Button size="xs" variant="default" leftSection={<IconRefresh size={14} />} onClick={onRetryFailed} data-testid="retry-failed">
              Retry failed…
            </Button>
          </Group>
        )}
      </Stack>
    </Card>
  );
}
