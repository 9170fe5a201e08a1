import { Alert, Anchor, Button, Group, Modal, Select, SimpleGrid, Stack, Text, ThemeIcon, Timeline } from "@mantine/core";
import { IconCircleCheck, IconCircleMinus, IconMail, IconMessage } from "@tabler/icons-react";
import { useState } from "react";
import { contactsSetStatus, type Channel } from "../../api/contacts";
import { errorMessage } from "../../api/errors";
import type { Consent } from "../../bindings/Consent";
import type { ContactDetail } from "../../bindings/ContactDetail";
import { StatusBadge } from "../../components/StatusBadge";
import { formatDate, formatDateTime } from "../../lib/format";
import { EMAIL_STATUSES, SMS_STATUSES, statusLabel } from "../../lib/status";
import { SectionCard } from "./SectionCard";

const LEDGER_PREVIEW = 4;

function grantText(consent: Consent | null): string {
  if (!consent) return "No consent recorded";
  return `Consent given ${formatDate(consent.at)} · ${consent.source} · ${consent.method}`;
}

function ChannelConsent({ detail, channel, onChanged }: {
  detail: ContactDetail;
  channel: Channel;
  onChanged: (d: ContactDetail) => void;
}) {
  const c = detail.contact;
  const address = channel === "email" ? c.email : c.phone;
  const status = channel === "email" ? c.emailStatus : c.smsStatus;
  const consent = channel === "email" ? detail.emailConsent : detail.smsConsent;
  const statuses = channel === "email" ? EMAIL_STATUSES : SMS_STATUSES;
  const name = channel === "email" ? "email" : "SMS";
  const events = detail.consentEvents.filter((e) => e.channel === channel).sort((a, b) => (a.at < b.at ? 1 : -1));

  const [pending, setPending] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [showAll, setShowAll] = useState(false);

  async function confirm() {
    if (!pending) return;
    setSaving(true);
    setError(null);
    try {
      onChanged(await contactsSetStatus(c.id, channel, pending));
      setPending(null);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setSaving(false);
    }
  }

  const resubscribing = pending === "subscribed";
  const shown = showAll ? events : events.slice(0, LEDGER_PREVIEW);

  return (
    <Stack gap="sm" data-testid={`consent-${channel}`}>
      <Group justify="space-between" wrap="nowrap">
        <Group gap={8} wrap="nowrap">
          {channel === "email" ? <IconMail size={18} stroke={1.6} /> : <IconMessage size={18} stroke={1.6} />}
          <Text fw={600} size="sm">
            {channel === "email" ? "Email" : "SMS"}
          </Text>
        </Group>
        <StatusBadge status={status} />
      </Group>
      <Text size="xs" c="dimmed">
        {address ? grantText(consent) : `No ${channel === "email" ? "email address" : "phone number"} on file`}
      </Text>
      <Select
        aria-label={`${channel === "email" ? "Email" : "SMS"} status`}
        size="xs"
        data={statuses.map((s) => ({ value: s, label: statusLabel(s) }))}
        value={status}
        allowDeselect={false}
        disabled={!address || saving}
        onChange={(v) => {
          if (v && v !== status) setPending(v);
        }}
        data-testid={`status-select-${channel}`}
      />
      {error && !pending && (
        <Text size="xs" c="red" data-testid={`status-error-${channel}`}>
          {error}
        </Text>
      )}
      {events.length > 0 && (
        <>
          <Timeline bulletSize={20} lineWidth={2} mt="xs" data-testid={`ledger-${channel}`}>
            {shown.map((e) => (
              <Timeline.Item
                key={e.id}
                bullet={
                  <ThemeIcon size={20} radius="xl" variant="light" color={e.action === "granted" ? "teal" : "gray"}>
                    {e.action === "granted" ? <IconCircleCheck size={12} /> : <IconCircleMinus size={12} />}
                  </ThemeIcon>
                }
                title={
                  <Text size="sm" fw={500}>
                    {e.action === "granted" ? "Consent granted" : `Withdrawn: ${statusLabel(e.status).toLowerCase()}`}
                  </Text>
                }
              >
                <Text size="xs" c="dimmed">
                  {e.source} · {e.method}
                </Text>
                <Text size="xs" c="dimmed" className="tabular">
                  {formatDateTime(e.at)}
                </Text>
              </Timeline.Item>
            ))}
          </Timeline>
          {events.length > LEDGER_PREVIEW && (
            <Anchor component="button" type="button" size="xs" onClick={() => setShowAll((v) => !v)}>
              {showAll ? "Show fewer" : `Show all ${events.length} changes`}
            </Anchor>
          )}
        </>
      )}

      <Modal
        opened={pending !== null}
        onClose={() => (saving ? undefined : setPending(null))}
        title={resubscribing ? `Resubscribe to ${name}?` : `Change ${name} status to ${statusLabel(pending ?? "").toLowerCase()}?`}
        size="md"
      >
        <Stack gap="md">
          <Text size="sm">
            {resubscribing
              ? `Only resubscribe ${c.displayName} if they have asked to receive ${name} again. The change is recorded in the consent history as a manual grant.`
              : `${c.displayName} will no longer receive ${name} campaigns. The change is recorded in the consent history.`}
          </Text>
          {error && (
            <Alert color="red" variant="light" data-testid={`status-error-${channel}`}>
              {error}
            </Alert>
          )}
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={() => setPending(null)} disabled={saving}>
              Cancel
            </Button>
            <Button
              color={resubscribing ? "indigo" : "red"}
              loading={saving}
              onClick={() => void confirm()}
              data-testid={`status-confirm-${channel}`}
            >
              {resubscribing ? "Resubscribe" : `Mark as ${statusLabel(pending ?? "").toLowerCase()}`}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Stack>
  );
}

export function ConsentCard({ detail, onChanged }: { detail: ContactDetail; onChanged: (d: ContactDetail) => void }) {
  return (
    <SectionCard title="Consent" testId="consent-card">
      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="xl">
        <ChannelConsent detail={detail} channel="email" onChanged={onChanged} />
        <ChannelConsent detail={detail} channel="sms" onChanged={onChanged} />
      </SimpleGrid>
    </SectionCard>
  );
}
