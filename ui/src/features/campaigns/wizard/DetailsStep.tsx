import { Group, NumberInput, SimpleGrid, Stack, Switch, Text, TextInput } from "@mantine/core";
import { useRef } from "react";
import type { CampaignInput } from "../../../api/campaigns";
import type { DraftField, FieldErrors } from "./draft";
import { VariablePicker } from "./VariablePicker";
import { variableText } from "./variables";

type Props = {
  draft: CampaignInput;
  errors: FieldErrors;
  change: <K extends DraftField>(field: K, value: CampaignInput[K]) => void;
  /** The sender the email settings give, shown where the campaign has none of its own. */
  defaults: { fromName: string; fromAddress: string; replyTo: string | null };
};

/** Inserts `text` at the caret of `input` (or at the end) and returns the new value. */
function insertAt(input: HTMLInputElement | null, value: string, text: string): string {
  const start = input?.selectionStart ?? value.length;
  const end = input?.selectionEnd ?? value.length;
  return value.slice(0, start) + text + value.slice(end);
}

/** Step 1: the campaign's name, subject, preheader and sender. */
export function DetailsStep({ draft, errors, change, defaults }: Props) {
  const subjectRef = useRef<HTMLInputElement>(null);
  const preheaderRef = useRef<HTMLInputElement>(null);

  const field = (f: DraftField) => ({
    error: errors[f],
    errorProps: { "data-testid": `campaign-error-${f}` },
    "data-testid": `campaign-${f}`,
  });

  return (
    <Stack gap="lg">
      <TextInput
        label="Campaign name"
        description="For you: recipients never see it."
        placeholder="Spring sale announcement"
        value={draft.name}
        onChange={(e) => change("name", e.currentTarget.value)}
        required
        data-autofocus
        {...field("name")}
      />
      <Stack gap={4}>
        <Group justify="space-between" align="flex-end">
          <Text size="sm" fw={500} component="label" htmlFor="campaign-subject">
            Subject <span style={{ color: "var(--mantine-color-error)" }}>*</span>
          </Text>
          <VariablePicker
            testId="subject-variables"
            onPick={(tag) => change("subject", insertAt(subjectRef.current, draft.subject, variableText(tag)))}
          />
        </Group>
        <TextInput
          id="campaign-subject"
          ref={subjectRef}
          placeholder="{{ contact.first_name }}, our spring sale starts today"
          value={draft.subject}
          onChange={(e) => change("subject", e.currentTarget.value)}
          aria-required
          {...field("subject")}
        />
      </Stack>
      <Stack gap={4}>
        <Group justify="space-between" align="flex-end">
          <Text size="sm" fw={500} component="label" htmlFor="campaign-preheader">
            Preheader
          </Text>
          <VariablePicker
            testId="preheader-variables"
            onPick={(tag) => change("preheader", insertAt(preheaderRef.current, draft.preheader ?? "", variableText(tag)))}
          />
        </Group>
        <TextInput
          id="campaign-preheader"
          ref={preheaderRef}
          placeholder="The line inboxes show after the subject"
          value={draft.preheader ?? ""}
          onChange={(e) => change("preheader", e.currentTarget.value)}
          {...field("preheader")}
        />
      </Stack>
      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
        <TextInput
          label="From name"
          placeholder={defaults.fromName || "Acme Marketing"}
          description={defaults.fromName ? "Blank uses the name in Settings → Email." : undefined}
          value={draft.fromName ?? ""}
          onChange={(e) => change("fromName", e.currentTarget.value)}
          {...field("fromName")}
        />
        <TextInput
          label="From address"
          type="email"
          placeholder={defaults.fromAddress || "news@example.com"}
          description={defaults.fromAddress ? "Blank uses the address in Settings → Email." : undefined}
          value={draft.fromAddress ?? ""}
          onChange={(e) => change("fromAddress", e.currentTarget.value)}
          {...field("fromAddress")}
        />
        <TextInput
          label="Reply-to"
          type="email"
          placeholder={defaults.replyTo || "Replies go to the from address"}
          value={draft.replyTo ?? ""}
          onChange={(e) => change("replyTo", e.currentTarget.value)}
          {...field("replyTo")}
        />
      </SimpleGrid>
      <NumberInput
        label="Sending speed"
        description={`Messages per second for this campaign. Blank uses the rate in Settings → Email.`}
        placeholder="As in the email settings"
        min={0.1}
        max={1000}
        decimalScale={2}
        value={draft.rate ?? ""}
        onChange={(v) => change("rate", v === "" ? null : Number(v))}
        maw={320}
        {...field("rate")}
      />
      <Switch
        label="Track opens and clicks"
        description="Adds a tiny image and rewrites links through your relay, so the report can count them."
        checked={draft.tracking}
        onChange={(e) => change("tracking", e.currentTarget.checked)}
        data-testid="campaign-tracking"
      />
    </Stack>
  );
}
