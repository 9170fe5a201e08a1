import { Alert, Button, Group, Stack, Text } from "@mantine/core";
import { IconAlertTriangle, IconKey, IconRefresh } from "@tabler/icons-react";
import { useState } from "react";
import type { KeychainStatus } from "../../../bindings/KeychainStatus";
import { useRelayStore } from "../../../stores/relay";
import { KeysModal } from "./KeysModal";
import { RotateModal } from "./RotateModal";
import { sentence } from "./text";

type Ready = Extract<KeychainStatus, { state: "ready" }>;

function keysText(k: Ready): string {
  if (k.signingKeyId === null) {
    return "Herald signs tracking and unsubscribe links with a signing key and pulls events with an API token. Both are created on this computer and kept in its keychain, never in the workspace file.";
  }
  const previous =
    k.previousSigningKeyId !== null ? ` The relay also accepts key ${k.previousSigningKeyId}, the previous one.` : "";
  const token = k.apiToken ? " and the API token are" : " is";
  return `Signing key ${k.signingKeyId}${token} in this computer's keychain.${previous}`;
}

/** Which keys exist, and making them: generate the first, rotate after. */
export function RelayKeys({ keychain }: { keychain: Ready }) {
  const generate = useRelayStore((s) => s.generateKeys);
  const rotate = useRelayStore((s) => s.rotateKeys);
  const dismiss = useRelayStore((s) => s.dismissKeys);
  const shown = useRelayStore((s) => s.shownKeys);
  const busy = useRelayStore((s) => !!s.busy.keys);
  const error = useRelayStore((s) => s.keysError);
  const [confirming, setConfirming] = useState(false);
  const current = keychain.signingKeyId;

  async function confirmRotate() {
    await rotate();
    setConfirming(false);
  }

  return (
    <Stack gap="sm" data-testid="relay-keys">
      <Group justify="space-between" align="flex-start" wrap="nowrap" gap="md">
        <Stack gap={2}>
          <Text size="sm" fw={600}>
            Keys
          </Text>
          <Text size="sm" c="dimmed" data-testid="relay-keys-status">
            {keysText(keychain)}
          </Text>
        </Stack>
        {current === null ? (
          <Button
            leftSection={<IconKey size={16} />}
            onClick={() => void generate()}
            loading={busy}
            style={{ flexShrink: 0 }}
            data-testid="relay-generate"
          >
            Generate keys
          </Button>
        ) : (
          <Button
            variant="default"
            leftSection={<IconRefresh size={16} />}
            onClick={() => setConfirming(true)}
            style={{ flexShrink: 0 }}
            data-testid="relay-rotate"
          >
            Rotate signing key
          </Button>
        )}
      </Group>
      {error && (
        <Alert color="red" variant="light" icon={<IconAlertTriangle size={18} />} data-testid="relay-keys-error">
          {sentence(error)}
        </Alert>
      )}
      {current !== null && (
        <RotateModal
          opened={confirming}
          current={current}
          previous={keychain.previousSigningKeyId}
          busy={busy}
          onCancel={() => setConfirming(false)}
          onConfirm={() => void confirmRotate()}
        />
      )}
      <KeysModal keys={shown} onDone={dismiss} />
    </Stack>
  );
}
