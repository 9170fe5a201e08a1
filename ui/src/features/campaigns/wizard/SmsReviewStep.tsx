import { Alert, Anchor, Button, Card, Group, Loader, SimpleGrid, Stack, Text } from "@mantine/core";
import { IconAlertTriangle, IconMessage2 } from "@tabler/icons-react";
import { useEffect, useState } from "react";
import { Link } from "react-router";
import { campaignPreview, type AudienceSummary, type CampaignInput, type CampaignPreview } from "../../../api/campaigns";
import { errorMessage } from "../../../api/errors";
import { campaignSmsWorstCase, type SmsWorstCase } from "../../../api/sms";
import { formatCount, plural } from "../../../lib/format";
import { PhonePreview } from "../../sms/PhonePreview";
import { SmsCampaignTestModal } from "../../sms/SmsCampaignTestModal";
import { encodingLabel, SmsCounter } from "../../sms/SmsCounter";
import { optOutTextOf, senderLabel, useSmsSettings } from "../../sms/useSmsSettings";
import { ContactPicker } from "../ContactPicker";

type Props = {
  campaignId: string;
  draft: CampaignInput;
  audience: AudienceSummary | null;
};

/** The costliest message over the audience: what the campaign may cost at most. */
function WorstCase({ worst, error }: { worst: SmsWorstCase | null; error: string | null }) {
  if (error) {
    return (
      <Text size="sm" c="red" data-testid="sms-worst-error">
        {error}
      </Text>
    );
  }
  if (!worst) return <Loader size="xs" />;
  const { count, recipients } = worst;
  return (
    <Stack gap={4} data-testid="sms-worst">
      <Text size="sm">
        <Text span fw={650}>
          {plural(count.parts, "part")}
        </Text>{" "}
        ({encodingLabel(count)}, {plural(count.characters, "character")}){worst.contactLabel ? ` for ${worst.contactLabel}` : ""}.
      </Text>
      <Text size="xs" c="dimmed">
        Each recipient's text is counted with their own details. At most {formatCount(count.parts * recipients)} SMS for {plural(recipients, "recipient")}.
      </Text>
    </Stack>
  );
}

/** Step 4 of an SMS campaign: the text on a phone as one contact gets it, its cost, and the costliest over the audience. */
export function SmsReviewStep({ campaignId, draft, audience }: Props) {
  const settings = useSmsSettings();
  const [contactId, setContactId] = useState<string | null>(null);
  const [preview, setPreview] = useState<CampaignPreview | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [worst, setWorst] = useState<SmsWorstCase | null>(null);
  const [worstError, setWorstError] = useState<string | null>(null);
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

  useEffect(() => {
    let live = true;
    campaignSmsWorstCase(campaignId).then(
      (w) => live && setWorst(w),
      (e: unknown) => live && setWorstError(errorMessage(e)),
    );
    return () => {
      live = false;
    };
  }, [campaignId]);

  const sms = preview?.sms ?? null;
  const optOut = draft.smsOptOut ?? true;
  return (
    <Stack gap="lg">
      {settings && !settings.configured && (
        <Alert color="orange" variant="light" icon={<IconAlertTriangle size={18} />} data-testid="sms-not-set-up">
          SMS is not set up yet: choose a provider in{" "}
          <Anchor component={Link} to="/settings" size="sm">
            Settings → SMS
          </Anchor>{" "}
          before sending.
        </Alert>
      )}
      <Group justify="space-between" align="flex-end" wrap="wrap" gap="md">
        <ContactPicker
          label="Preview as"
          description={preview && !preview.contactLabel ? "An example person with no details: variables show their defaults or nothing." : undefined}
          value={contactId}
          onChange={(id) => setContactId(id)}
          testId="preview-contact"
          channel="sms"
        />
        <Button variant="default" leftSection={<IconMessage2 size={16} />} onClick={() => setTestOpen(true)} data-testid="test-send-open">
          Send test SMS
        </Button>
      </Group>

      {error && (
        <Alert color="red" variant="light" icon={<IconAlertTriangle size={18} />} title="The preview could not be made" data-testid="preview-error">
          {error}
        </Alert>
      )}

      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="lg">
        <Stack gap="xs">
          {sms ? (
            <PhonePreview body={sms.body} sender={senderLabel(settings)} />
          ) : (
            !error && (
              <Group gap="sm" c="dimmed" p="xl" justify="center">
                <Loader size="sm" />
                <Text size="sm">Rendering the preview…</Text>
              </Group>
            )
          )}
          {preview?.contactLabel && (
            <Text size="xs" c="dimmed" ta="center" data-testid="preview-contact-label">
              Personalised for {preview.contactLabel}
            </Text>
          )}
        </Stack>
        <Stack gap="md">
          <Card padding="md" data-testid="sms-review-count">
            <Text fw={650} size="sm" mb="xs">
              This message
            </Text>
            {sms ? <SmsCounter count={sms.count} /> : <Loader size="xs" />}
          </Card>
          <Card padding="md">
            <Text fw={650} size="sm" mb="xs">
              Longest message in the audience
            </Text>
            <WorstCase worst={worst} error={worstError} />
          </Card>
          <Card padding="md" data-testid="sms-review-opt-out">
            <Text fw={650} size="sm" mb={4}>
              Opt-out instruction {optOut ? "on" : "off"}
            </Text>
            <Text size="sm" c="dimmed">
              {optOut
                ? `“${optOutTextOf(settings)}” ends every message. Replies of STOP opt people out before the next batch.`
                : "Removed for this campaign. Replies of STOP still opt people out."}
            </Text>
          </Card>
          {audience && (
            <Text size="sm" c="dimmed" data-testid="sms-review-audience">
              {plural(audience.willReceive, "person", "people")} will receive it.
            </Text>
          )}
        </Stack>
      </SimpleGrid>

      <SmsCampaignTestModal key={String(testOpen)} campaignId={campaignId} opened={testOpen} onClose={() => setTestOpen(false)} contactId={contactId} />
    </Stack>
  );
}
