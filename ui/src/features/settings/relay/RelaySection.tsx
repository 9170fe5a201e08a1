import { Alert, Badge, Button, Card, Group, Loader, Stack, Text } from "@mantine/core";
import { IconAlertTriangle, IconLockOff } from "@tabler/icons-react";
import { useEffect, useState, type ReactNode } from "react";
import { useRelayStore } from "../../../stores/relay";
import { RelayKeys } from "./RelayKeys";
import { RelaySync } from "./RelaySync";
import { RelayUrlForm } from "./RelayUrlForm";
import { HEALTH_BADGE, healthOf, sentence } from "./text";

/** How often the open section re-reads the status (the app syncs in the background). */
export const REFRESH_MS = 30_000;

function Part({ children }: { children: ReactNode }) {
  return (
    <Stack gap="sm" pt="lg" style={{ borderTop: "1px solid var(--herald-border)" }}>
      {children}
    </Stack>
  );
}

/** Settings → Relay: where the relay is, the keys, and how syncing goes. */
export function RelaySection() {
  const status = useRelayStore((s) => s.status);
  const loadError = useRelayStore((s) => s.loadError);
  const load = useRelayStore((s) => s.load);
  const loadedAt = useRelayStore((s) => s.loadedAt);
  const [tick, setTick] = useState(() => Date.now());
  // "just now" is measured from the latest of the clock tick and the last read.
  const now = Math.max(tick, loadedAt);

  // Read now and every REFRESH_MS while the section is open: background
  // syncs change the last sync time, and "3 minutes ago" has to move on.
  useEffect(() => {
    void load();
    const timer = setInterval(() => {
      setTick(Date.now());
      void load();
    }, REFRESH_MS);
    return () => clearInterval(timer);
  }, [load]);

  const health = status ? HEALTH_BADGE[healthOf(status)] : null;
  const keychain = status?.keychain;

  return (
    <Card p={0} data-testid="relay-section">
      <Stack gap="lg" p="lg">
        <Group justify="space-between" align="flex-start" wrap="nowrap" gap="md">
          <Stack gap={2}>
            <Text fw={650}>Relay</Text>
            <Text size="sm" c="dimmed">
              Your relay catches opens, clicks, unsubscribes, bounces and STOP replies while this computer is off. Herald
              pulls them in and updates your contacts.
            </Text>
          </Stack>
          {health && (
            <Badge color={health.color} variant="light" size="lg" tt="none" fw={600} style={{ flexShrink: 0 }} data-testid="relay-health">
              {health.label}
            </Badge>
          )}
        </Group>

        {!status && !loadError && (
          <Group gap="sm" c="dimmed" data-testid="relay-loading">
            <Loader size="sm" />
            <Text size="sm">Reading the relay settings…</Text>
          </Group>
        )}
        {!status && loadError && (
          <Alert color="red" variant="light" icon={<IconAlertTriangle size={18} />} title="The relay settings could not be read" data-testid="relay-load-error">
            <Stack gap="sm" align="flex-start">
              <Text size="sm">{loadError}</Text>
              <Button size="xs" variant="default" onClick={() => void load()}>
                Try again
              </Button>
            </Stack>
          </Alert>
        )}

        {status && keychain && (
          <>
            {keychain.state !== "ready" && (
              <Alert
                color={keychain.state === "unavailable" ? "orange" : "red"}
                variant="light"
                icon={<IconLockOff size={18} />}
                title={keychain.state === "unavailable" ? "No keychain available" : "The keychain could not be read"}
                data-testid="relay-keychain-alert"
              >
                <Stack gap="sm" align="flex-start">
                  <Text size="sm">{sentence(keychain.message)}</Text>
                  <Text size="sm">
                    Keys and syncing come back as soon as the keychain answers. Your relay URL and contacts are not
                    affected.
                  </Text>
                  <Button size="xs" variant="default" onClick={() => void load()} data-testid="relay-keychain-retry">
                    Check again
                  </Button>
                </Stack>
              </Alert>
            )}
            <RelayUrlForm saved={status.url} />
            {keychain.state === "ready" && (
              <>
                <Part>
                  <RelayKeys keychain={keychain} />
                </Part>
                <Part>
                  <RelaySync status={status} now={now} />
                </Part>
              </>
            )}
          </>
        )}
      </Stack>
    </Card>
  );
}
