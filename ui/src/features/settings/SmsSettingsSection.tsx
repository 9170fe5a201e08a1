import { Alert, Badge, Button, Card, Group, Loader, Stack, Text } from "@mantine/core";
import { IconAlertTriangle } from "@tabler/icons-react";
import { useCallback, useEffect, useState } from "react";
import { errorMessage } from "../../api/errors";
import { smsSettingsGet, type SmsSettingsView } from "../../api/sms";
import { SmsSettingsForm } from "./SmsSettingsForm";

/** Settings → SMS: the provider SMS campaigns are sent through. */
export function SmsSettingsSection() {
  const [view, setView] = useState<SmsSettingsView | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(() => {
    smsSettingsGet().then(
      (v) => {
        setView(v);
        setError(null);
      },
      (e: unknown) => setError(errorMessage(e)),
    );
  }, []);

  useEffect(() => {
    load();
  }, [load]);

  return (
    <Card p={0} data-testid="sms-section">
      <Stack gap="lg" p="lg">
        <Group justify="space-between" align="flex-start" wrap="nowrap" gap="md">
          <Stack gap={2}>
            <Text fw={650}>SMS</Text>
            <Text size="sm" c="dimmed">
              The provider text messages go out through, who they come from, how fast, and at what hours.
            </Text>
          </Stack>
          {view && (
            <Badge color={view.configured ? "teal" : "gray"} variant="light" size="lg" tt="none" fw={600} style={{ flexShrink: 0 }} data-testid="sms-status">
              {view.configured ? "Set up" : "Not set up"}
            </Badge>
          )}
        </Group>
        {!view && !error && (
          <Group gap="sm" c="dimmed">
            <Loader size="sm" />
            <Text size="sm">Reading the SMS settings…</Text>
          </Group>
        )}
        {!view && error && (
          <Alert color="red" variant="light" icon={<IconAlertTriangle size={18} />} title="The SMS settings could not be read" data-testid="sms-load-error">
            <Stack gap="sm" align="flex-start">
              <Text size="sm">{error}</Text>
              <Button size="xs" variant="default" onClick={load}>
                Try again
              </Button>
            </Stack>
          </Alert>
        )}
      </Stack>
      {view && <SmsSettingsForm view={view} onSaved={setView} />}
    </Card>
  );
}
