import { Alert, Badge, Button, Card, Group, Loader, Stack, Text } from "@mantine/core";
import { IconAlertTriangle } from "@tabler/icons-react";
import { useCallback, useEffect, useState } from "react";
import { emailPresets, emailSettingsGet, type EmailSettingsView, type SmtpPreset } from "../../api/email";
import { errorMessage } from "../../api/errors";
import { EmailSettingsForm } from "./EmailSettingsForm";

/** Settings → Email: the SMTP server campaigns are sent through. */
export function EmailSettingsSection() {
  const [view, setView] = useState<EmailSettingsView | null>(null);
  const [presets, setPresets] = useState<SmtpPreset[]>([]);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(() => {
    emailSettingsGet().then(
      (v) => {
        setView(v);
        setError(null);
      },
      (e: unknown) => setError(errorMessage(e)),
    );
    emailPresets().then(setPresets, () => undefined);
  }, []);

  useEffect(() => {
    load();
  }, [load]);

  return (
    <Card p={0} data-testid="email-section">
      <Stack gap="lg" p="lg">
        <Group justify="space-between" align="flex-start" wrap="nowrap" gap="md">
          <Stack gap={2}>
            <Text fw={650}>Email</Text>
            <Text size="sm" c="dimmed">
              The mail server campaigns go out through, who they are from, and how fast Herald sends.
            </Text>
          </Stack>
          {view && (
            <Badge color={view.configured ? "teal" : "gray"} variant="light" size="lg" tt="none" fw={600} style={{ flexShrink: 0 }} data-testid="email-status">
              {view.configured ? "Set up" : "Not set up"}
            </Badge>
          )}
        </Group>
        {!view && !error && (
          <Group gap="sm" c="dimmed">
            <Loader size="sm" />
            <Text size="sm">Reading the email settings…</Text>
          </Group>
        )}
        {!view && error && (
          <Alert color="red" variant="light" icon={<IconAlertTriangle size={18} />} title="The email settings could not be read" data-testid="email-load-error">
            <Stack gap="sm" align="flex-start">
              <Text size="sm">{error}</Text>
              <Button size="xs" variant="default" onClick={load}>
                Try again
              </Button>
            </Stack>
          </Alert>
        )}
      </Stack>
      {view && <EmailSettingsForm view={view} presets={presets} onSaved={setView} />}
    </Card>
  );
}
