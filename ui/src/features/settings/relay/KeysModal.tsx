import { Alert, Button, Group, Modal, Stack, Text } from "@mantine/core";
import { IconLock } from "@tabler/icons-react";
import type { GeneratedKeys } from "../../../bindings/GeneratedKeys";
import { CopyField } from "./CopyField";

/**
 * The keys just made, shown this once. It closes only on "I have copied
 * them": not on Escape, not on a click outside, no close button.
 */
export function KeysModal({ keys, onDone }: { keys: GeneratedKeys | null; onDone: () => void }) {
  const rotated = keys?.previousSigningKeyId != null;
  return (
    <Modal
      opened={keys !== null}
      onClose={onDone}
      closeOnEscape={false}
      closeOnClickOutside={false}
      withCloseButton={false}
      size="lg"
      title={
        <Text fw={650} size="lg">
          {rotated ? `Signing key ${keys?.signingKeyId} is ready` : "Your relay keys"}
        </Text>
      }
      data-testid="relay-keys-modal"
    >
      {keys && (
        <Stack gap="md">
          <Alert color="orange" variant="light" icon={<IconLock size={18} />} title="Shown once" data-testid="relay-keys-once">
            Copy these now. Herald keeps them only in this computer's keychain and will not show them again.
          </Alert>
          <Text size="sm">
            {rotated
              ? `Put these lines in the relay's configuration and restart it before your next send. Key ${keys.previousSigningKeyId} stays accepted as the previous key, so links already sent keep working. The API token is unchanged.`
              : "Put them in the relay's configuration, as environment variables or in its TOML file, and restart it."}
          </Text>
          <CopyField label="Signing key" value={keys.signingKey} testId="relay-keys-signing-key" />
          <CopyField label="API token" value={keys.apiToken} testId="relay-keys-api-token" />
          <CopyField label="Environment variables" value={keys.envLines} testId="relay-keys-env" block />
          <CopyField label="TOML file" value={keys.tomlLines} testId="relay-keys-toml" block />
          <Group justify="flex-end" pt="xs">
            <Button onClick={onDone} data-testid="relay-keys-done">
              I have copied them
            </Button>
          </Group>
        </Stack>
      )}
    </Modal>
  );
}
