import { Button, Group, List, Modal, Stack, Text } from "@mantine/core";

/** Asks before rotating: the relay must be updated, and the oldest key stops working. */
export function RotateModal({
  opened,
  current,
  previous,
  busy,
  onCancel,
  onConfirm,
}: {
  opened: boolean;
  current: number;
  previous: number | null;
  busy: boolean;
  onCancel: () => void;
  onConfirm: () => void;
}) {
  const next = current === 255 ? 1 : current + 1;
  return (
    <Modal
      opened={opened}
      onClose={() => (busy ? undefined : onCancel())}
      title={<Text fw={650}>Rotate the signing key?</Text>}
      size="md"
      data-testid="relay-rotate-modal"
    >
      <Stack gap="md">
        <Text size="sm">
          Herald will create signing key {next} and sign new links with it. Key {current} stays valid as the previous key, so
          links in mail you have already sent keep working.
        </Text>
        <List size="sm" spacing={6}>
          <List.Item>
            <Text size="sm" span fw={600}>
              Update the relay:
            </Text>{" "}
            until it has the new lines and is restarted, it refuses links signed with key {next}.
          </List.Item>
          {previous !== null && (
            <List.Item>Links signed with key {previous} will no longer be accepted.</List.Item>
          )}
          <List.Item>The API token stays the same.</List.Item>
        </List>
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onCancel} disabled={busy} data-autofocus data-testid="relay-rotate-cancel">
            Cancel
          </Button>
          <Button color="orange" onClick={onConfirm} loading={busy} data-testid="relay-rotate-confirm">
            Rotate to key {next}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
