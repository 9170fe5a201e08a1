import { Alert, Anchor, Group, Loader, Paper, Select, SimpleGrid, Stack, Text } from "@mantine/core";
import { IconAlertTriangle, IconUsers } from "@tabler/icons-react";
import { useEffect, useState } from "react";
import { Link } from "react-router";
import type { AudienceSummary, Exclusions } from "../../../api/campaigns";
import { errorMessage } from "../../../api/errors";
import { segmentsList } from "../../../api/segments";
import type { SegmentSummary } from "../../../bindings/SegmentSummary";
import { formatCount, plural } from "../../../lib/format";

const EXCLUSION_LABELS: [keyof Exclusions, string][] = [
  ["unsubscribed", "unsubscribed"],
  ["bounced", "bounced"],
  ["complained", "marked as spam"],
  ["noConsent", "without consent"],
  ["noAddress", "without an email address"],
  ["duplicate", "duplicate addresses"],
];

/** The same exclusions for a text: the address is a phone number. */
const SMS_LABELS: Partial<Record<keyof Exclusions, string>> = { noAddress: "without a phone number", duplicate: "duplicate numbers" };

/** "31 unsubscribed, 4 bounced": the non-zero exclusions, or null when there are none. */
export function exclusionText(x: Exclusions, channel: "email" | "sms" = "email"): string | null {
  const parts = EXCLUSION_LABELS.filter(([k]) => x[k] > 0).map(([k, label]) => `${formatCount(x[k])} ${(channel === "sms" && SMS_LABELS[k]) || label}`);
  return parts.length ? parts.join(", ") : null;
}

/** Who would receive it: the number, and who the segment holds that it would skip. */
export function AudienceNumbers({ audience, channel = "email" }: { audience: AudienceSummary; channel?: "email" | "sms" }) {
  const excluded = exclusionText(audience.excluded, channel);
  return (
    <Paper withBorder p="md" data-testid="audience-summary">
      <Group gap="md" wrap="nowrap" align="flex-start">
        <IconUsers size={22} stroke={1.6} color="var(--mantine-color-indigo-6)" style={{ flexShrink: 0, marginTop: 2 }} />
        <Stack gap={4}>
          <Text fw={650} data-testid="audience-will-receive">
            {formatCount(audience.willReceive)} {audience.willReceive === 1 ? "person" : "people"} will receive it
          </Text>
          <Text size="sm" c="dimmed" data-testid="audience-excluded">
            {excluded
              ? `${excluded} ${audience.segmentCount - audience.willReceive === 1 ? "is" : "are"} excluded, of ${plural(audience.segmentCount, "contact")} in the segment.`
              : `Everyone in the segment (${plural(audience.segmentCount, "contact")}) can receive it.`}
          </Text>
        </Stack>
      </Group>
    </Paper>
  );
}

type Props = {
  segmentId: string | null;
  error: string | undefined;
  onChange: (segmentId: string | null) => void;
  /** The audience of the saved campaign, null while it is read. */
  audience: AudienceSummary | null;
  audienceError: string | null;
  audienceLoading: boolean;
  channel?: "email" | "sms";
};

/** Step 2: which segment, and how many of it the campaign would reach. */
export function AudienceStep({ segmentId, error, onChange, audience, audienceError, audienceLoading, channel = "email" }: Props) {
  const [segments, setSegments] = useState<SegmentSummary[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    segmentsList().then(
      (s) => live && setSegments(s),
      (e: unknown) => live && setLoadError(errorMessage(e)),
    );
    return () => {
      live = false;
    };
  }, []);

  if (loadError) {
    return (
      <Alert color="red" variant="light" icon={<IconAlertTriangle size={18} />} title="Segments could not be loaded">
        {loadError}
      </Alert>
    );
  }
  if (segments && segments.length === 0) {
    return (
      <Alert color="blue" variant="light" title="You have no segments yet" data-testid="audience-no-segments">
        A campaign goes to a segment. <Anchor component={Link} to="/segments/new">Create a segment</Anchor>, then come back: this
        draft is saved.
      </Alert>
    );
  }

  return (
    <Stack gap="lg">
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <Select
          label="Segment"
          description="Who receives it. Unsubscribed and bounced contacts are left out automatically."
          placeholder={segments ? "Choose a segment" : "Loading segments…"}
          data={(segments ?? []).map((s) => ({
            value: s.id,
            label: s.count === null ? s.name : `${s.name} (${formatCount(s.count)})`,
          }))}
          value={segmentId}
          onChange={onChange}
          searchable
          nothingFoundMessage="No segment has that name"
          error={error}
          errorProps={{ "data-testid": "campaign-error-segmentId" }}
          rightSection={segments ? undefined : <Loader size={14} />}
          data-testid="campaign-segmentId"
        />
      </SimpleGrid>
      {segmentId && audienceLoading && !audience && (
        <Group gap="sm" c="dimmed">
          <Loader size="sm" />
          <Text size="sm">Counting who would receive it…</Text>
        </Group>
      )}
      {audienceError && (
        <Alert color="red" variant="light" icon={<IconAlertTriangle size={18} />} data-testid="audience-error">
          {audienceError}
        </Alert>
      )}
      {segmentId && audience && <AudienceNumbers audience={audience} channel={channel} />}
    </Stack>
  );
}
