import { Alert, Avatar, Button, Card, Group, List, Loader, SegmentedControl, SimpleGrid, Stack, Text } from "@mantine/core";
import { IconAlertTriangle, IconCircleCheck, IconDeviceDesktop, IconDeviceMobile, IconEye, IconEyeOff, IconPaperclip, IconSend } from "@tabler/icons-react";
import { useEffect, useState } from "react";
import { campaignPreview, type AttachmentInfo, type AudienceSummary, type CampaignInput, type CampaignPreview } from "../../../api/campaigns";
import { errorMessage } from "../../../api/errors";
import { initials } from "../../../lib/format";
import { ContactPicker } from "../ContactPicker";
import { PreviewFrame } from "../PreviewFrame";
import { TestSendModal } from "../TestSendModal";
import { formatBytes } from "../time";

type Props = {
  campaignId: string;
  draft: CampaignInput;
  /** The sender settings fill in what the campaign leaves blank. */
  sender: { fromName: string; fromAddress: string };
  attachments: AttachmentInfo[];
  audience: AudienceSummary | null;
};

/** How the message sits in an inbox: sender, subject, preheader. */
function InboxLine({ from, subject, preheader }: { from: string; subject: string; preheader: string | null }) {
  return (
    <Group gap="sm" wrap="nowrap" align="flex-start" data-testid="review-inbox-line">
      <Avatar radius="xl" color="indigo" size={36}>
        {initials(from || "?")}
      </Avatar>
      <Stack gap={0} miw={0}>
        <Text size="sm" fw={650} truncate>
          {from || "No sender yet: set one in Settings → Email"}
        </Text>
        <Text size="sm" fw={600} truncate data-testid="review-subject">
          {subject}
        </Text>
        <Text size="sm" c="dimmed" truncate data-testid="review-preheader">
          {preheader || "No preheader: inboxes show the first words of the message instead."}
        </Text>
      </Stack>
    </Group>
  );
}

/** Step 4: the message as one contact would get it, on a desktop or a phone, with what might trip spam filters. */
export function ReviewStep({ campaignId, draft, sender, attachments, audience }: Props) {
  const [contactId, setContactId] = useState<string | null>(null);
  const [mobile, setMobile] = useState(false);
  const [preview, setPreview] = useState<CampaignPreview | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [testOpen, setTestOpen] = useState(false);

  useEffect(() => {
    let live = true;
    campaignPreview(campaignId, contactId).then(
      (p) => {
        if (!live) return;
        setPreview(p);
        setError(null);
      },
      (e: unknown) => live && setError(errorMessage(e)),
    );
    return () => {
      live = false;
    };
  }, [campaignId, contactId]);

  const from = draft.fromName || sender.fromName || draft.fromAddress || sender.fromAddress;
  const tracking = audience ? audience.trackingOn : draft.tracking;

  return (
    <Stack gap="lg">
      <Group justify="space-between" align="flex-end" wrap="wrap" gap="md">
        <ContactPicker
          label="Preview as"
          // Said where the missing name shows: the subject just below.
          description={preview && !preview.contactLabel ? "An example person with no details: variables show their defaults or nothing." : undefined}
          value={contactId}
          onChange={(id) => setContactId(id)}
          testId="preview-contact"
        />
        <Group gap="sm">
          <SegmentedControl
            value={mobile ? "mobile" : "desktop"}
            onChange={(v) => setMobile(v === "mobile")}
            data={[
              { value: "desktop", label: <Group gap={6} wrap="nowrap"><IconDeviceDesktop size={14} />Desktop</Group> },
              { value: "mobile", label: <Group gap={6} wrap="nowrap"><IconDeviceMobile size={14} />Mobile</Group> },
            ]}
            data-testid="preview-device"
          />
          <Button variant="default" leftSection={<IconSend size={16} />} onClick={() => setTestOpen(true)} data-testid="test-send-open">
            Send test
          </Button>
        </Group>
      </Group>

      {error && (
        <Alert color="red" variant="light" icon={<IconAlertTriangle size={18} />} title="The preview could not be made" data-testid="preview-error">
          {error}
        </Alert>
      )}

      <SimpleGrid cols={{ base: 1, md: 3 }} spacing="lg">
        <Stack gap="md" style={{ gridColumn: "span 2" }}>
          <Card padding="md">
            <InboxLine from={from} subject={preview?.subject ?? draft.subject} preheader={draft.preheader} />
          </Card>
          {preview ? (
            <PreviewFrame html={preview.html} mobile={mobile} title={`Preview for ${preview.contactLabel ?? "a sample contact"}`} />
          ) : (
            !error && (
              <Group gap="sm" c="dimmed" p="xl" justify="center">
                <Loader size="sm" />
                <Text size="sm">Rendering the preview…</Text>
              </Group>
            )
          )}
          {preview?.contactLabel && (
            <Text size="xs" c="dimmed" data-testid="preview-contact-label">
              Personalised for {preview.contactLabel}
            </Text>
          )}
        </Stack>

        <Stack gap="md">
          <Card padding="md" data-testid="review-hints">
            <Text fw={650} size="sm" mb="xs">
              Spam check
            </Text>
            {preview && preview.hints.length === 0 && (
              <Group gap={6} wrap="nowrap">
                <IconCircleCheck size={16} color="var(--mantine-color-teal-6)" />
                <Text size="sm">Nothing here is likely to trip spam filters.</Text>
              </Group>
            )}
            {preview && preview.hints.length > 0 && (
              <List size="sm" spacing={6} icon={<IconAlertTriangle size={14} color="var(--mantine-color-orange-6)" />}>
                {preview.hints.map((h) => (
                  <List.Item key={h} data-testid="review-hint">
                    {h}
                  </List.Item>
                ))}
              </List>
            )}
            {!preview && <Loader size="xs" />}
          </Card>
          <Card padding="md">
            <Text fw={650} size="sm" mb="xs">
              Attachments
            </Text>
            {attachments.length === 0 ? (
              <Text size="sm" c="dimmed">
                None.
              </Text>
            ) : (
              <Stack gap={4}>
                {attachments.map((a) => (
                  <Group key={a.id} gap={6} wrap="nowrap">
                    <IconPaperclip size={14} color="var(--mantine-color-dimmed)" />
                    <Text size="sm" truncate>
                      {a.filename}
                    </Text>
                    <Text size="xs" c="dimmed">
                      {formatBytes(a.size)}
                    </Text>
                  </Group>
                ))}
              </Stack>
            )}
          </Card>
          <Card padding="md" data-testid="review-tracking">
            <Group gap={6} wrap="nowrap" mb={4}>
              {tracking ? <IconEye size={16} /> : <IconEyeOff size={16} />}
              <Text fw={650} size="sm">
                Tracking {tracking ? "on" : "off"}
              </Text>
            </Group>
            <Text size="sm" c="dimmed">
              {audience?.trackingNote ??
                (tracking ? "Opens and clicks will be counted in the report." : "The report will count deliveries only: no opens or clicks.")}
            </Text>
          </Card>
        </Stack>
      </SimpleGrid>

      <TestSendModal key={String(testOpen)} campaignId={campaignId} opened={testOpen} onClose={() => setTestOpen(false)} contactId={contactId} />
    </Stack>
  );
}
