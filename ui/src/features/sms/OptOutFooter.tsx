import { Alert, Button, Group, List, Stack, Text } from "@mantine/core";
import { IconAlertTriangle, IconLock } from "@tabler/icons-react";
import { useState } from "react";
import { ConfirmDialog, type Confirmation } from "../campaigns/ConfirmDialog";
import classes from "./SmsComposer.module.css";

/** Why the line is there, shown before it can be removed. */
const WHY = (
  <Stack gap="xs">
    <Text size="sm">Every marketing text must tell people how to stop receiving them:</Text>
    <List size="sm" spacing={4}>
      <List.Item>In the US, the TCPA and the carriers' (CTIA) rules require it; carriers filter or block marketing messages without it.</List.Item>
      <List.Item>In the UK and the EU (PECR, GDPR), each marketing message must offer a simple, free way to opt out.</List.Item>
    </List>
    <Text size="sm">
      Herald still honours STOP replies either way. Remove the line only for messages that are not marketing, or when your own text already says how to
      opt out.
    </Text>
  </Stack>
);

/** The opt-out line under the message: locked in place, removable only after an explicit confirmation. */
export function OptOutFooter({ text, on, onChange }: { text: string; on: boolean; onChange: (on: boolean) => void }) {
  const [ask, setAsk] = useState<Confirmation | null>(null);
  return (
    <>
      {on ? (
        <div className={classes.footer} data-testid="sms-opt-out">
          <IconLock size={14} color="var(--mantine-color-dimmed)" aria-hidden />
          <Text size="sm" c="dimmed" style={{ flex: 1 }} data-testid="sms-opt-out-text">
            {text}
          </Text>
          <Button
            size="compact-xs"
            variant="subtle"
            color="gray"
            onClick={() =>
              setAsk({
                title: "Remove the opt-out instruction?",
                body: WHY,
                confirm: "Remove it from this campaign",
                color: "red",
                run: () => onChange(false),
              })
            }
            data-testid="sms-opt-out-remove"
          >
            Remove
          </Button>
        </div>
      ) : (
        <Alert color="orange" variant="light" icon={<IconAlertTriangle size={18} />} p="xs" data-testid="sms-opt-out-removed">
          <Group justify="space-between" gap="sm" wrap="nowrap">
            <Text size="sm">No opt-out instruction: “{text}” is not added to this campaign.</Text>
            <Button size="compact-xs" variant="light" onClick={() => onChange(true)} data-testid="sms-opt-out-add">
              Add back
            </Button>
          </Group>
        </Alert>
      )}
      <ConfirmDialog ask={ask} onClose={() => setAsk(null)} testId="sms-opt-out-confirm" />
    </>
  );
}
