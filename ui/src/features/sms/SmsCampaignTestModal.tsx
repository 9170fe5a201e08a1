import { Alert, Button, Group, Modal, Stack, Text } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { IconAlertTriangle } from "@tabler/icons-react";
import { useState, type FormEvent } from "react";
import { campaignTestSend } from "../../api/campaigns";
import { errorMessage } from "../../api/errors";
import { ContactPicker } from "../campaigns/ContactPicker";
import { checkNumbers, TestNumbers } from "./TestNumbers";

/** The campaign's text, personalised as one contact, to up to five phone numbers. */
export function SmsCampaignTestModal({ campaignId, opened, onClose, contactId }: { campaignId: string; opened: boolean; onClose: () => void; contactId: string | null }) {
  const [numbers, setNumbers] = useState<string[]>([]);
  const [contact, setContact] = useState<string | null>(contactId);
  const [error, setError] = useState<string | null>(null);
  const [sending, setSending] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    // The modal sits inside the wizard's form in React's tree: keep the submit here.
    e.stopPropagation();
    const problem = checkNumbers(numbers);
    if (problem) return setError(problem);
    setSending(true);
    setError(null);
    try {
      await campaignTestSend(campaignId, numbers, contact);
      notifications.show({ color: "teal", title: "Test SMS sent", message: `Sent to ${numbers.join(", ")}. It usually arrives within a minute.` });
      onClose();
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
            testId="sms-campaign-test-numbers"
          />
          <ContactPicker
            label="Personalise as"
            description="Variables are filled in with this contact's details."
            value={contact}
            onChange={(id) => setContact(id)}
            testId="sms-campaign-test-contact"
            channel="sms"
          />
          <Text size="xs" c="dimmed">
            Sent for real through your SMS provider, with the opt-out line as the campaign has it.
          </Text>
          {error && (
            <Alert color="red" variant="light" icon={<IconAlertTriangle size={18} />} data-testid="sms-campaign-test-error">
              {error}
            </Alert>
          )}
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={onClose} disabled={sending}>
              Cancel
            </Button>
            <Button type="submit" loading={sending} data-testid="sms-campaign-test-send">
              Send test SMS
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
