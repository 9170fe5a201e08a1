import { Alert, Button, Group, Modal, Stack, Text, Textarea } from "@mantine/core";
import { IconAlertTriangle } from "@tabler/icons-react";
import { useState, type FormEvent } from "react";
import { errorMessage } from "../../api/errors";
import { smsTestSend, type SmsTestResult } from "../../api/sms";
import { checkNumbers, TestNumbers, TestResults } from "../sms/TestNumbers";

const DEFAULT_BODY = "A test message from Herald: if you can read this, SMS sending works.";

/** Settings → SMS → "Send test SMS": a message of one's own to up to five numbers, through the saved provider. */
export function SmsTestModal({ opened, onClose, optOutText }: { opened: boolean; onClose: () => void; optOutText: string }) {
  const [numbers, setNumbers] = useState<string[]>([]);
  const [body, setBody] = useState(DEFAULT_BODY);
  const [error, setError] = useState<string | null>(null);
  const [sending, setSending] = useState(false);
  const [results, setResults] = useState<SmsTestResult[] | null>(null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const problem = checkNumbers(numbers) ?? (body.trim() ? null : "Write a message to send");
    if (problem) return setError(problem);
    setSending(true);
    setError(null);
    setResults(null);
    try {
      setResults((await smsTestSend(numbers, body)).results);
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setSending(false);
    }
  }

  return (
    <Modal opened={opened} onClose={() => (sending ? undefined : onClose())} title="Send a test SMS" size="lg">
      <form onSubmit={(e) => void submit(e)} noValidate>
        <Stack gap="md">
          <TestNumbers
            value={numbers}
            onChange={(v) => {
              setNumbers(v);
              setError(null);
            }}
            testId="sms-test-numbers"
          />
          <Textarea
            label="Message"
            description={optOutText ? `“${optOutText}” is added at the end, as in a campaign.` : undefined}
            autosize
            minRows={3}
            maxRows={8}
            value={body}
            onChange={(e) => setBody(e.currentTarget.value)}
            data-testid="sms-test-body"
          />
          <Text size="xs" c="dimmed">
            This is sent for real through your provider, and costs what any SMS costs.
          </Text>
          {error && (
            <Alert color="red" variant="light" icon={<IconAlertTriangle size={18} />} data-testid="sms-test-error">
              {error}
            </Alert>
          )}
          {results && <TestResults results={results} />}
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={onClose} disabled={sending}>
              {results ? "Close" : "Cancel"}
            </Button>
            <Button type="submit" loading={sending} data-testid="sms-test-send">
              Send test
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
