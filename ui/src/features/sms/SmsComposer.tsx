import { Group, Loader, Stack, Text, Textarea } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { useRef, useState } from "react";
import { errorMessage } from "../../api/errors";
import { smsGsmEquivalents } from "../../api/sms";
import { VariablePicker } from "../campaigns/wizard/VariablePicker";
import { variableText } from "../campaigns/wizard/variables";
import { ForcedChars } from "./ForcedChars";
import { OptOutFooter } from "./OptOutFooter";
import { charCount, utf16Offset, withOptOut } from "./optOut";
import classes from "./SmsComposer.module.css";
import { SmsCounter } from "./SmsCounter";
import { useSmsCount } from "./useSmsCount";

type Props = {
  value: string;
  onChange: (body: string) => void;
  /** Whether the opt-out instruction is appended. */
  optOut: boolean;
  onOptOutChange: (on: boolean) => void;
  /** The instruction, from Settings → SMS. */
  optOutText: string;
  error?: string;
};

/**
 * The SMS body with a live segment counter over the message as it is sent
 * (opt-out line included), the characters that forced Unicode, a one-click
 * GSM replacement, and the personalisation variables.
 */
export function SmsComposer({ value, onChange, optOut, onOptOutChange, optOutText, error }: Props) {
  const ref = useRef<HTMLTextAreaElement>(null);
  const [replacing, setReplacing] = useState(false);
  const sent = withOptOut(value, optOutText, optOut);
  const { count, counted, error: countError } = useSmsCount(sent);
  const bodyChars = charCount(value);
  // Only the message's own characters can be selected or replaced here; the footer is the settings'.
  const forced = count?.forcedUcs2.filter((f) => f.index < bodyChars) ?? [];

  function insert(tag: string) {
    const el = ref.current;
    const text = variableText(tag);
    const start = el?.selectionStart ?? value.length;
    const end = el?.selectionEnd ?? value.length;
    onChange(value.slice(0, start) + text + value.slice(end));
    requestAnimationFrame(() => {
      el?.focus();
      el?.setSelectionRange(start + text.length, start + text.length);
    });
  }

  function select(index: number) {
    const el = ref.current;
    if (!el) return;
    const at = utf16Offset(value, index);
    const ch = Array.from(value)[index] ?? "";
    el.focus();
    el.setSelectionRange(at, at + ch.length);
  }

  async function replace() {
    setReplacing(true);
    try {
      onChange(await smsGsmEquivalents(value));
    } catch (e) {
      notifications.show({ color: "red", title: "The characters could not be replaced", message: errorMessage(e) });
    } finally {
      setReplacing(false);
    }
  }

  return (
    <Stack gap="xs">
      <Group justify="space-between" align="flex-end">
        <Text size="sm" fw={500} component="label" htmlFor="sms-body">
          Message <span style={{ color: "var(--mantine-color-error)" }}>*</span>
        </Text>
        <VariablePicker testId="sms-variables" onPick={insert} />
      </Group>
      <div>
        <Textarea
          id="sms-body"
          ref={ref}
          className={optOut ? classes.bodyWithFooter : undefined}
          value={value}
          onChange={(e) => onChange(e.currentTarget.value)}
          placeholder="Hi {{ contact.first_name }}, our spring sale starts today: 20% off everything until Sunday."
          autosize
          minRows={5}
          maxRows={14}
          aria-required
          error={!!error}
          data-autofocus
          data-testid="sms-body"
        />
        <OptOutFooter text={optOutText} on={optOut} onChange={onOptOutChange} />
      </div>
      {error && (
        <Text size="xs" c="red" data-testid="campaign-error-textBody">
          {error}
        </Text>
      )}
      {count ? (
        <SmsCounter count={count} stale={counted !== sent} />
      ) : countError ? (
        <Text size="sm" c="red" data-testid="sms-count-error">
          The message could not be counted: {countError}
        </Text>
      ) : (
        <Group gap="xs" c="dimmed">
          <Loader size="xs" />
          <Text size="sm">Counting…</Text>
        </Group>
      )}
      <ForcedChars forced={forced} onSelect={select} onReplace={() => void replace()} replacing={replacing} />
      <Text size="xs" c="dimmed">
        Variables such as {"{{ contact.first_name }}"} are counted as written here; the review shows the longest message anyone in the audience gets.
      </Text>
    </Stack>
  );
}
