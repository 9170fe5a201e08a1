import { Alert, Button, Group, Modal, Stack, Text } from "@mantine/core";
import { IconAlertTriangle } from "@tabler/icons-react";
import { useState, type ReactNode } from "react";
import { errorMessage } from "../../api/errors";

export type Confirmation = {
  title: string;
  body: ReactNode;
  confirm: string;
  color?: string;
  /** Runs on confirm; a rejection keeps the dialog open with the error. */
  run: () => Promise<void> | void;
};

/** One question before an action that cannot be taken back; `ask` is null when closed. */
export function ConfirmDialog({ ask, onClose, testId = "confirm" }: { ask: Confirmation | null; onClose: () => void; testId?: string }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [shown, setShown] = useState(ask);
  if (ask && ask !== shown) {
    setShown(ask);
    setError(null);
  }

  async function go() {
    if (!ask) return;
    setBusy(true);
    setError(null);
    try {
      await ask.run();
      onClose();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Modal opened={ask !== null} onClose={() => (busy ? undefined : onClose())} title={shown?.title}>
      <Stack gap="md">
        <Text size="sm" component="div">
          {shown?.body}
        </Text>
        {error && (
          <Alert color="red" variant="light" icon={<IconAlertTriangle size={18} />} data-testid={`${testId}-error`}>
            {error}
          </Alert>
        )}
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onClose} disabled={busy}>
            Cancel
          </Button>
          <Button color={shown?.color} loading={busy} onClick={() => void go()} data-testid={`${testId}-ok`}>
            {shown?.confirm}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
