import { Alert, Button, Group, Text } from "@mantine/core";
import { IconAlertTriangle, IconRefresh } from "@tabler/icons-react";

/** An error shown where it happened, with a way to try again. */
export function ErrorState({
  title,
  message,
  onRetry,
  testId = "error",
}: {
  title: string;
  message: string;
  onRetry?: () => void;
  testId?: string;
}) {
  return (
    <Alert
      color="red"
      variant="light"
      icon={<IconAlertTriangle size={18} />}
      title={title}
      data-testid={testId}
      maw={560}
      w="100%"
    >
      <Group justify="space-between" align="center" wrap="nowrap" gap="md">
        <Text size="sm">{message}</Text>
        {onRetry && (
          <Button
            size="xs"
            variant="white"
            color="red"
            leftSection={<IconRefresh size={14} />}
            onClick={onRetry}
            data-testid={`${testId}-retry`}
          >
            Try again
          </Button>
        )}
      </Group>
    </Alert>
  );
}
