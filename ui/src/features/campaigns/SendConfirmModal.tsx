import { Alert, Button, Group, Loader, Modal, Stack, Text } from "@mantine/core";
import { IconAlertTriangle } from "@tabler/icons-react";
import { useEffect, useState } from "react";
import { campaignAudience, campaignSchedule, campaignSendNow, type AudienceSummary } from "../../api/campaigns";
import { errorMessage } from "../../api/errors";
import { formatCount } from "../../lib/format";
import { exclusionText } from "./wizard/AudienceStep";
import { formatInstant } from "./time";

export type SendPlan = { kind: "now" } | { kind: "schedule"; at: number; zone: string };

const people = (n: number) => `${formatCount(n)} ${n === 1 ? "person" : "people"}`;

/**
 * The last question before a campaign goes out: it counts the audience afresh
 * and states exactly how many will receive it. Sending passes that number
 * on, so the backend refuses if the audience changed in between.
 */
export function SendConfirmModal({
  campaignId,
  name,
  plan,
  onClose,
  onDone,
  channel = "email",
}: {
  campaignId: string;
  name: string;
  plan: SendPlan | null;
  onClose: () => void;
  onDone: () => void;
  channel?: "email" | "sms";
}) {
  const [audience, setAudience] = useState<AudienceSummary | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const opened = plan !== null;

  useEffect(() => {
    if (!opened) return;
    let live = true;
    campaignAudience(campaignId).then(
      (a) => {
        if (!live) return;
        setAudience(a);
        setError(null);
      },
      (e: unknown) => live && setError(errorMessage(e)),
    );
    return () => {
      live = false;
      setAudience(null);
    };
  }, [opened, campaignId]);

  async function confirm() {
    if (!plan || !audience) return;
    setBusy(true);
    setError(null);
    try {
      if (plan.kind === "now") await campaignSendNow(campaignId, audience.willReceive);
      else await campaignSchedule(campaignId, plan.at);
      onDone();
    } catch (e) {
      setError(errorMessage(e));
      // The audience may have changed: show the new number before another try.
      campaignAudience(campaignId).then(setAudience, () => undefined);
    } finally {
      setBusy(false);
    }
  }

  const n = audience?.willReceive ?? 0;
  const title = !audience
    ? "Counting the audience…"
    : plan?.kind === "schedule"
      ? `Schedule for ${people(n)}?`
      : `Send to ${people(n)} now?`;
  const excluded = audience ? exclusionText(audience.excluded, channel) : null;

  return (
    <Modal opened={opened} onClose={() => (busy ? undefined : onClose())} title={<Text fw={650} data-testid="send-confirm-title">{title}</Text>}>
      <Stack gap="md">
        {!audience && !error && (
          <Group gap="sm" c="dimmed">
            <Loader size="sm" />
            <Text size="sm">Counting who would receive it…</Text>
          </Group>
        )}
        {audience && (
          <Text size="sm" data-testid="send-confirm-body">
            “{name}” will go to <b>{people(n)}</b>
            {plan?.kind === "schedule" ? ` on ${formatInstant(plan.at, plan.zone)} (${plan.zone})` : " as soon as you confirm"}.
            {excluded ? ` Left out: ${excluded}.` : ""}
            {plan?.kind === "now" ? ` Once sent, ${channel === "sms" ? "a text" : "an email"} cannot be called back.` : " You can unschedule it until then."}
          </Text>
        )}
        {audience && n === 0 && (
          <Alert color="orange" variant="light" icon={<IconAlertTriangle size={18} />}>
            Nobody in the segment can receive it right now. Choose another segment.
          </Alert>
        )}
        {error && (
          <Alert color="red" variant="light" icon={<IconAlertTriangle size={18} />} data-testid="send-confirm-error">
            {error}
          </Alert>
        )}
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onClose} disabled={busy}>
            Not yet
          </Button>
          <Button onClick={() => void confirm()} loading={busy} disabled={!audience || n === 0} data-testid="send-confirm">
            {plan?.kind === "schedule" ? "Schedule" : `Send to ${people(n)}`}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
