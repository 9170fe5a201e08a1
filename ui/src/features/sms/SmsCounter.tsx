import { Badge, Group, Text, Tooltip } from "@mantine/core";
import type { SmsCount } from "../../api/sms";
import { formatCount, plural } from "../../lib/format";

export const encodingLabel = (c: SmsCount): string => (c.encoding === "gsm7" ? "GSM-7" : "Unicode (UCS-2)");

/** What the message costs: its encoding, characters, parts, and room left in the last part. */
export function SmsCounter({ count, stale = false }: { count: SmsCount; stale?: boolean }) {
  const gsm = count.encoding === "gsm7";
  const single = gsm ? 160 : 70;
  const multi = gsm ? 153 : 67;
  return (
    <Group gap="md" wrap="wrap" style={{ opacity: stale ? 0.6 : 1 }} data-testid="sms-counter" aria-live="polite">
      <Tooltip
        multiline
        maw={320}
        label={
          gsm
            ? `The GSM alphabet: ${single} characters fit in one SMS, ${multi} per part when longer.`
            : `A character outside the GSM alphabet sends the whole message as Unicode: ${single} characters fit in one SMS, ${multi} per part when longer.`
        }
      >
        <Badge color={gsm ? "teal" : "orange"} size="lg" tt="none" fw={600} data-testid="sms-encoding">
          {encodingLabel(count)}
        </Badge>
      </Tooltip>
      <Text size="sm" data-testid="sms-characters">
        {plural(count.characters, "character")}
      </Text>
      <Text size="sm" fw={600} data-testid="sms-parts">
        {plural(count.parts, "part")}
      </Text>
      <Text size="sm" c="dimmed" data-testid="sms-left">
        {formatCount(count.leftInPart)} left in this part
      </Text>
    </Group>
  );
}
