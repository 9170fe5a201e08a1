import { Alert, Badge, Button, Card, Group, Loader, Stack, Text } from "@mantine/core";
import { IconAlertTriangle } from "@tabler/icons-react";
import type { ReactNode } from "react";

interface Props {
  /** The channel's name in the heading ("Email", "SMS"), and in test ids in lower case. */
  title: string;
  description: string;
  /** What the loading and error lines call the settings ("email settings"). */
  settingsName: string;
  /** `null` while the settings are being read (or could not be). */
  configured: boolean | null;
  /** Why the settings could not be read. */
  error: string | null;
  onRetry: () => void;
  /** The form, once the settings are read. */
  children?: ReactNode;
}

/**
 * The frame of a channel's settings section (Settings → Email, Settings →
 * SMS): heading with "Set up" / "Not set up", a loading line while the
 * settings are read, and a retryable error when they cannot be.
 */
export function ChannelSettingsCard({ title, description, settingsName, configured, error, onRetry, children }: Props) {
  const id = title.toLowerCase();
  const loaded = configured !== null;
  return (
    <Card p={0} data-testid={`${id}-section`}>
      <Stack gap="lg" p="lg">
        <Group justify="space-between" align="flex-start" wrap="nowrap" gap="md">
          <Stack gap={2}>
            <Text fw={650}>{title}</Text>
            <Text size="sm" c="dimmed">
              {description}
            </Text>
          </Stack>
          {loaded && (
            <Badge color={configured ? "teal" : "gray"} variant="light" size="lg" tt="none" fw={600} style={{ flexShrink: 0 }} data-testid={`${id}-status`}>
              {configured ? "Set up" : "Not set up"}
            </Badge>
          )}
        </Group>
        {!loaded && !error && (
          <Group gap="sm" c="dimmed">
            <Loader size="sm" />
            <Text size="sm">Reading the {settingsName}…</Text>
          </Group>
        )}
        {!loaded && error && (
          <Alert color="red" variant="light" icon={<IconAlertTriangle size={18} />} title={`The ${settingsName} could not be read`} data-testid={`${id}-load-error`}>
            <Stack gap="sm" align="flex-start">
              <Text size="sm">{error}</Text>
              <Button size="xs" variant="default" onClick={onRetry}>
                Try again
              </Button>
            </Stack>
          </Alert>
        )}
      </Stack>
      {loaded && children}
    </Card>
  );
}
