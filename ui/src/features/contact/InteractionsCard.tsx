import { Anchor, Button, Group, Paper, Select, Stack, Text, Textarea, TextInput, ThemeIcon, Timeline } from "@mantine/core";
import {
  IconCalendarEvent,
  IconClick,
  IconMail,
  IconMailCheck,
  IconMailOff,
  IconMailOpened,
  IconMessage,
  IconNote,
  IconPhone,
  IconPlus,
  IconSend,
  IconSpeakerphone,
  IconThumbDown,
  IconTimeline,
  IconUserMinus,
  IconDots,
} from "@tabler/icons-react";
import { useState, type FormEvent, type ReactNode } from "react";
import { errorField, errorMessage } from "../../api/errors";
import { interactionsAdd } from "../../api/interactions";
import type { ContactDetail } from "../../bindings/ContactDetail";
import { EmptyHint } from "../../components/EmptyHint";
import type { InteractionView } from "../../bindings/InteractionView";
import { formatDateTime, localDateTimeInputValue } from "../../lib/format";
import { Link } from "react-router";
import { campaignEvents, stepLabel, stepRank, type CampaignEvent, type CampaignStep } from "./campaignEvents";
import { SectionCard } from "./SectionCard";

/** Kinds a person logs by hand (campaign interactions are recorded by Herald itself). */
export const INTERACTION_KINDS = [
  { value: "note", label: "Note" },
  { value: "call", label: "Call" },
  { value: "meeting", label: "Meeting" },
  { value: "email", label: "Email" },
  { value: "sms", label: "SMS" },
  { value: "other", label: "Other" },
];

const ICONS: Record<string, ReactNode> = {
  note: <IconNote size={12} />,
  call: <IconPhone size={12} />,
  meeting: <IconCalendarEvent size={12} />,
  email: <IconMail size={12} />,
  sms: <IconMessage size={12} />,
  campaign: <IconSpeakerphone size={12} />,
};

const STEP_ICONS: Record<CampaignStep, ReactNode> = {
  sent: <IconSend size={12} />,
  delivered: <IconMailCheck size={12} />,
  opened: <IconMailOpened size={12} />,
  clicked: <IconClick size={12} />,
  bounced: <IconMailOff size={12} />,
  complained: <IconThumbDown size={12} />,
  unsubscribed: <IconUserMinus size={12} />,
};

/** Steps that withdrew the contact or failed: shown in red. */
const ALARMING: CampaignStep[] = ["bounced", "complained", "unsubscribed"];

type Entry = { type: "interaction"; at: string; item: InteractionView } | { type: "campaign"; at: string; item: CampaignEvent };

/** Logged interactions and campaign events, newest first. */
function timeline(detail: ContactDetail): Entry[] {
  const entries: Entry[] = [
    ...detail.interactions.map((i): Entry => ({ type: "interaction", at: i.occurredAt, item: i })),
    ...campaignEvents(detail.campaigns).map((e): Entry => ({ type: "campaign", at: e.at, item: e })),
  ];
  const rank = (e: Entry) => (e.type === "campaign" ? stepRank(e.item.step) : -1);
  return entries.sort((a, b) => Date.parse(b.at) - Date.parse(a.at) || rank(b) - rank(a));
}

function CampaignItemTitle({ event }: { event: CampaignEvent }) {
  return (
    <Group gap={6}>
      <Text size="sm" fw={600}>
        {stepLabel(event.step, event.channel)}
      </Text>
      <Anchor component={Link} to={`/campaigns/${event.campaignId}`} size="sm" data-testid="timeline-campaign-link">
        “{event.campaignName}”
      </Anchor>
      <Text size="xs" c="dimmed" className="tabular">
        {formatDateTime(event.at)}
      </Text>
    </Group>
  );
}

const kindLabel = (kind: string) =>
  INTERACTION_KINDS.find((k) => k.value === kind)?.label ?? (kind === "campaign" ? "Campaign" : kind);

function LogForm({ contactId, onSaved, onCancel }: {
  contactId: string;
  onSaved: (d: ContactDetail) => void;
  onCancel: () => void;
}) {
  const [kind, setKind] = useState("note");
  const [when, setWhen] = useState(() => localDateTimeInputValue());
  const [summary, setSummary] = useState("");
  const [errors, setErrors] = useState<{ summary?: string; when?: string; form?: string }>({});
  const [saving, setSaving] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const date = new Date(when);
    const next: typeof errors = {};
    if (!summary.trim()) next.summary = "Write a short summary of what happened";
    if (Number.isNaN(date.getTime())) next.when = "Choose when it happened";
    setErrors(next);
    if (next.summary || next.when) return;
    setSaving(true);
    try {
      onSaved(await interactionsAdd(contactId, kind, date.toISOString(), summary.trim()));
    } catch (err) {
      const field = errorField(err);
      const message = errorMessage(err);
      setErrors(field === "summary" ? { summary: message } : field === "occurredAt" ? { when: message } : { form: message });
    } finally {
      setSaving(false);
    }
  }

  return (
    <Paper withBorder p="md" mb="md" bg="var(--herald-page-bg)">
      <form onSubmit={(e) => void submit(e)} data-testid="interaction-form">
        <Stack gap="sm">
          <Group grow align="flex-start">
            <Select
              label="Kind"
              data={INTERACTION_KINDS}
              value={kind}
              onChange={(v) => setKind(v ?? "note")}
              allowDeselect={false}
              data-testid="interaction-kind"
            />
            <TextInput
              label="When"
              type="datetime-local"
              value={when}
              onChange={(e) => setWhen(e.currentTarget.value)}
              error={errors.when}
              data-testid="interaction-when"
            />
          </Group>
          <Textarea
            label="Summary"
            placeholder="What was discussed or agreed?"
            autosize
            minRows={2}
            value={summary}
            onChange={(e) => setSummary(e.currentTarget.value)}
            onKeyDown={(e) => {
              if (e.key === "Enter" && (e.metaKey || e.ctrlKey)) void submit(e);
            }}
            error={errors.summary}
            errorProps={{ "data-testid": "interaction-summary-error" }}
            data-testid="interaction-summary"
            data-autofocus
          />
          {errors.form && (
            <Text size="sm" c="red" data-testid="interaction-error">
              {errors.form}
            </Text>
          )}
          <Group justify="flex-end" gap="sm">
            <Button variant="default" size="xs" onClick={onCancel} disabled={saving}>
              Cancel
            </Button>
            <Button type="submit" size="xs" loading={saving} data-testid="interaction-save">
              Log interaction
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}

export function InteractionsCard({ detail, onChanged }: { detail: ContactDetail; onChanged: (d: ContactDetail) => void }) {
  const [adding, setAdding] = useState(false);
  const items = timeline(detail);
  return (
    <SectionCard
      title="Interactions"
      testId="interactions-card"
      action={
        !adding && (
          <Button size="xs" variant="light" leftSection={<IconPlus size={14} />} onClick={() => setAdding(true)} data-testid="log-interaction">
            Log interaction
          </Button>
        )
      }
    >
      {adding && (
        <LogForm
          contactId={detail.contact.id}
          onCancel={() => setAdding(false)}
          onSaved={(d) => {
            setAdding(false);
            onChanged(d);
          }}
        />
      )}
      {items.length === 0 ? (
        !adding && <EmptyHint icon={<IconTimeline size={18} />} text="No interactions yet. Log calls, meetings and notes to keep the history in one place." />
      ) : (
        <Timeline bulletSize={24} lineWidth={2} data-testid="interactions-timeline">
          {items.map((e) =>
            e.type === "campaign" ? (
              <Timeline.Item
                key={e.item.key}
                data-testid="timeline-campaign-event"
                bullet={
                  <ThemeIcon size={22} radius="xl" variant="light" color={ALARMING.includes(e.item.step) ? "red" : undefined}>
                    {STEP_ICONS[e.item.step]}
                  </ThemeIcon>
                }
                title={<CampaignItemTitle event={e.item} />}
              />
            ) : (
              <Timeline.Item
                key={e.item.id}
                bullet={
                  <ThemeIcon size={22} radius="xl" variant="light">
                    {ICONS[e.item.kind] ?? <IconDots size={12} />}
                  </ThemeIcon>
                }
                title={
                  <Group gap={8}>
                    <Text size="sm" fw={600}>
                      {kindLabel(e.item.kind)}
                    </Text>
                    <Text size="xs" c="dimmed" className="tabular">
                      {formatDateTime(e.item.occurredAt)}
                    </Text>
                  </Group>
                }
              >
                <Text size="sm" mt={2} style={{ whiteSpace: "pre-wrap" }}>
                  {e.item.summary}
                </Text>
              </Timeline.Item>
            ),
          )}
        </Timeline>
      )}
    </SectionCard>
  );
}
