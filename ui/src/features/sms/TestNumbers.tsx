import { Alert, List, TagsInput, Text } from "@mantine/core";
import { IconAlertTriangle, IconCircleCheck } from "@tabler/icons-react";
import { MAX_TEST_NUMBERS, type SmsTestResult } from "../../api/sms";

/** Loose: digits with the usual separators, optionally +country. The backend parses them for real. */
const PHONE = /^\+?[0-9][0-9\s().-]{4,}$/;

/** The first entry that cannot be a phone number, or null. */
export function badNumber(numbers: string[]): string | null {
  return numbers.find((n) => !PHONE.test(n.trim())) ?? null;
}

/** What is wrong with the numbers before anything is sent, or null. */
export function checkNumbers(numbers: string[]): string | null {
  if (numbers.length === 0) return "Add at least one number to send the test to";
  if (numbers.length > MAX_TEST_NUMBERS) return `At most ${MAX_TEST_NUMBERS} numbers`;
  const bad = badNumber(numbers);
  return bad ? `“${bad}” is not a phone number` : null;
}

/** Up to five phone numbers, entered one by one. */
export function TestNumbers({ value, onChange, testId }: { value: string[]; onChange: (v: string[]) => void; testId: string }) {
  const full = value.length >= MAX_TEST_NUMBERS;
  return (
    <TagsInput
      label="Send to"
      description={
        full
          ? `That is the most: a test goes to at most ${MAX_TEST_NUMBERS} numbers.`
          : `Up to ${MAX_TEST_NUMBERS} numbers; press Enter or comma after each. Numbers without +country use the workspace's region.`
      }
      placeholder={value.length ? "" : "+44 7700 900123"}
      value={value}
      onChange={(v) => onChange(v.map((n) => n.trim()).filter(Boolean))}
      maxTags={MAX_TEST_NUMBERS}
      splitChars={[",", ";"]}
      clearable
      data-autofocus
      data-testid={testId}
    />
  );
}

/** Per number: sent (with the provider's id) or why not. */
export function TestResults({ results }: { results: SmsTestResult[] }) {
  const failed = results.filter((r) => !r.ok).length;
  return (
    <Alert
      color={failed ? "red" : "teal"}
      variant="light"
      icon={failed ? <IconAlertTriangle size={18} /> : <IconCircleCheck size={18} />}
      title={failed ? (failed === results.length ? "Not sent" : "Sent to some numbers") : "Sent"}
      data-testid="sms-test-results"
    >
      <List size="sm" spacing={4}>
        {results.map((r) => (
          <List.Item key={r.number} data-testid="sms-test-result">
            <Text span fw={600} size="sm">
              {r.number}
            </Text>
            <Text span size="sm">
              {r.ok ? ` — accepted by the provider (${r.detail})` : ` — ${r.detail}`}
            </Text>
          </List.Item>
        ))}
      </List>
    </Alert>
  );
}
