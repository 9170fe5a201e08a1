import { Button, Group, Paper, Select, Stack, Text, Textarea, TextInput, ThemeIcon, Timeline } from "@mantine/core";
import {
  IconCalendarEvent,
  IconMail,
  IconMessage,
  IconNote,
  IconPhone,
  IconPlus,
  IconSpeakerphone,
  IconTimeline,
  IconDots,
} from "@tabler/icons-react";
import { useState, type FormEvent, type ReactNode } from "react";
import { errorField, errorMessage } from "../../api/errors";
import { interactionsAdd } from "../../api/interactions";
import type { ContactDetail } from "../../bindings/ContactDetail";
import { EmptyHint } from "../../components/EmptyHint";
import { formatDateTime, localDateTimeInputValue } from "../../lib/format";
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
  const items = [...detail.interactions].sort((a, b) => (a.occurredAt < b.occurredAt ? 1 : -1));
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
          {items.map((i) => (
            <Timeline.Item
              key={i.id}
              bullet={
                <ThemeIcon size={22} radius="xl" variant="light">
                  {ICONS[i.kind] ?? <IconDots size={12} />}
                </ThemeIcon>
              }
              title={
                <Group gap={8}>
                  <Text size="sm" fw={600}>
                    {kindLabel(i.kind)}
                  </Text>
                  <Text size="xs" c="dimmed" className="tabular">
                    {formatDateTime(i.occurredAt)}
                  </Text>
                </Group>
              }
            >
              <Text size="sm" mt={2} style={{ whiteSpace: "pre-wrap" }}>
                {i.summary}
              </Text>
            </Timeline.Item>
          ))}
        </Timeline>
      )}
    </SectionCard>
  );
}
