import { Alert, Button, Group, Modal, Stack, TagsInput } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { IconAlertTriangle } from "@tabler/icons-react";
import { useState, type FormEvent } from "react";
import { campaignTestSend } from "../../api/campaigns";
import { errorMessage } from "../../api/errors";
import { ContactPicker } from "./ContactPicker";

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
export const MAX_TEST_ADDRESSES = 5;

/** Sends the campaign to up to five addresses, personalised as one contact. */
export function TestSendModal({ campaignId, opened, onClose, contactId }: { campaignId: string; opened: boolean; onClose: () => void; contactId: string | null }) {
  const [addresses, setAddresses] = useState<string[]>([]);
  const [contact, setContact] = useState<string | null>(contactId);
  const [error, setError] = useState<string | null>(null);
  const [sending, setSending] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    // The modal sits inside the wizard's form in React's tree: keep the submit here.
    e.stopPropagation();
    const bad = addresses.find((a) => !EMAIL.test(a));
    if (addresses.length === 0) return setError("Add at least one address to send the test to");
    if (bad) return setError(`“${bad}” is not an email address`);
    setSending(true);
    setError(null);
    try {
      await campaignTestSend(campaignId, addresses, contact);
      notifications.show({ color: "teal", title: "Test sent", message: `Sent to ${addresses.join(", ")}. It can take a minute to arrive.` });
      onClose();
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setSending(false);
    }
  }

  return (
    <Modal opened={opened} onClose={() => (sending ? undefined : onClose())} title="Send a test" size="lg">
      <form onSubmit={(e) => void submit(e)} noValidate>
        <Stack gap="md">
          <TagsInput
            label="Send to"
            description={`Up to ${MAX_TEST_ADDRESSES} addresses; press Enter or comma after each.`}
            placeholder={addresses.length ? "" : "you@example.com"}
            value={addresses}
            onChange={(v) => {
              setAddresses(v.map((a) => a.trim()).filter(Boolean));
              setError(null);
            }}
            maxTags={MAX_TEST_ADDRESSES}
            splitChars={[",", " ", ";"]}
            clearable
            data-autofocus
            data-testid="test-addresses"
          />
          <ContactPicker
            label="Personalise as"
            description="Variables are filled in with this contact's details."
            value={contact}
            onChange={(id) => setContact(id)}
            testId="test-contact"
          />
          {error && (
            <Alert color="red" variant="light" icon={<IconAlertTriangle size={18} />} data-testid="test-send-error">
              {error}
            </Alert>
          )}
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={onClose} disabled={sending}>
              Cancel
            </Button>
            <Button type="submit" loading={sending} data-testid="test-send">
              Send test
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
