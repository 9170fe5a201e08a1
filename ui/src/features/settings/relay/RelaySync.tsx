import { Alert, Button, Group, Stack, Text, Tooltip } from "@mantine/core";
import { IconAlertTriangle, IconCircleCheck, IconPlugConnected, IconRefresh } from "@tabler/icons-react";
import type { RelayStatus } from "../../../bindings/RelayStatus";
import { formatDateTime, plural } from "../../../lib/format";
import { formatRelative } from "../../../lib/relative";
import { useRelayStore, type RelayOutcome } from "../../../stores/relay";
import { healthOf, intervalText, sentence, syncSummaryText } from "./text";

function OutcomeAlert({ outcome, onClose }: { outcome: RelayOutcome; onClose: () => void }) {
  if (!outcome.ok) {
    return (
      <Alert
        color="red"
        variant="light"
        icon={<IconAlertTriangle size={18} />}
        title={outcome.action === "test" ? "Connection failed" : "Sync failed"}
        withCloseButton
        closeButtonLabel="Dismiss"
        onClose={onClose}
        data-testid="relay-outcome"
        data-outcome="error"
      >
        {sentence(outcome.message)}
      </Alert>
    );
  }
  const [title, body] =
    outcome.action === "test"
      ? [
          "Connected",
          `The relay at ${outcome.test.url} is up and accepts this computer's API token. ${
            outcome.test.eventsWaiting ? "New events are waiting: Sync now brings them in." : "No new events are waiting."
          }`,
        ]
      : ["Synced", syncSummaryText(outcome.summary)];
  return (
    <Alert
      color="teal"
      variant="light"
      icon={<IconCircleCheck size={18} />}
      title={title}
      withCloseButton
      closeButtonLabel="Dismiss"
      onClose={onClose}
      data-testid="relay-outcome"
      data-outcome="ok"
    >
      {body}
    </Alert>
  );
}

/** "Last synced 3 minutes ago", or the last failure, in plain words. */
function SyncLine({ status, now, hideError }: { status: RelayStatus; now: number; hideError: boolean }) {
  const failing = healthOf(status) === "failing";
  const synced = status.lastSyncAt;
  const last = synced ? (
    <Tooltip label={formatDateTime(synced)}>
      <span>{formatRelative(synced, now)}</span>
    </Tooltip>
  ) : null;
  return (
    <Stack gap={2} data-testid="relay-sync-status">
      {failing && status.lastError ? (
        <>
          <Text size="sm" fw={500} c="red">
            Last sync failed {formatRelative(status.lastError.at, now)}
            {hideError ? "" : ":"}
          </Text>
          {!hideError && (
            <Text size="sm" data-testid="relay-last-error">
              {sentence(status.lastError.message)}
            </Text>
          )}
          <Text size="xs" c="dimmed">
            {synced ? <>Last successful sync {last}.</> : "It has never synced."}
          </Text>
        </>
      ) : synced ? (
        <Text size="sm" fw={500}>
          Last synced {last}
          <Text span c="dimmed" fw={400}>
            {" "}
            · {plural(status.eventsApplied, "event")} applied in all
          </Text>
        </Text>
      ) : (
        <Text size="sm" fw={500}>
          Never synced
        </Text>
      )}
      <Text size="xs" c="dimmed">
        Herald syncs {intervalText(status.intervalSeconds)} while it is open.
      </Text>
    </Stack>
  );
}

/** How syncing goes, with "Test connection" and "Sync now". */
export function RelaySync({ status, now }: { status: RelayStatus; now: number }) {
  const testing = useRelayStore((s) => !!s.busy.test);
  const syncing = useRelayStore((s) => !!s.busy.sync);
  const outcome = useRelayStore((s) => s.outcome);
  const test = useRelayStore((s) => s.testConnection);
  const sync = useRelayStore((s) => s.syncNow);
  const clear = useRelayStore((s) => s.clearOutcome);
  const keychain = status.keychain;
  const ready = !!status.url && keychain.state === "ready" && keychain.apiToken;

  return (
    <Stack gap="sm" data-testid="relay-sync">
      <Group justify="space-between" align="flex-start" wrap="nowrap" gap="md">
        <Stack gap={6}>
          <Text size="sm" fw={600}>
            Sync
          </Text>
          {ready ? (
            <SyncLine status={status} now={now} hideError={outcome?.action === "sync" && !outcome.ok} />
          ) : (
            <Text size="sm" c="dimmed" data-testid="relay-sync-unconfigured">
              {status.url
                ? "Generate keys and put them in the relay's configuration to start syncing."
                : "Save the relay's URL and generate keys to start syncing."}
            </Text>
          )}
        </Stack>
        {ready && (
          <Group gap="sm" wrap="nowrap" style={{ flexShrink: 0 }}>
            <Button
              variant="default"
              leftSection={<IconPlugConnected size={16} />}
              onClick={() => void test()}
              loading={testing}
              data-testid="relay-test"
            >
              Test connection
            </Button>
            <Button leftSection={<IconRefresh size={16} />} onClick={() => void sync()} loading={syncing} data-testid="relay-sync-now">
              Sync now
            </Button>
          </Group>
        )}
      </Group>
      {ready && outcome && <OutcomeAlert outcome={outcome} onClose={clear} />}
    </Stack>
  );
}
