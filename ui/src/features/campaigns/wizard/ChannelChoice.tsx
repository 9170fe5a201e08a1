import { Group, Radio, Stack, Text } from "@mantine/core";
import { IconMail, IconMessage2 } from "@tabler/icons-react";
import type { ReactNode } from "react";
import type { CampaignInput } from "../../../api/campaigns";

type Channel = CampaignInput["channel"];

function Choice({ value, icon, title, text }: { value: Channel; icon: ReactNode; title: string; text: string }) {
  return (
    <Radio.Card value={value} p="md" radius="md" style={{ flex: 1, minWidth: 220 }} data-testid={`channel-${value}`}>
      <Group wrap="nowrap" align="flex-start" gap="sm">
        <Radio.Indicator />
        {icon}
        <Stack gap={2}>
          <Text fw={600} size="sm">
            {title}
          </Text>
          <Text size="xs" c="dimmed">
            {text}
          </Text>
        </Stack>
      </Group>
    </Radio.Card>
  );
}

/** Email or SMS, chosen once when the campaign is created. */
export function ChannelChoice({ value, onChange }: { value: Channel; onChange: (c: Channel) => void }) {
  return (
    <Radio.Group value={value} onChange={(v) => onChange(v as Channel)} label="Send as" data-testid="campaign-channel">
      <Group gap="md" mt="xs" align="stretch">
        <Choice value="email" icon={<IconMail size={20} />} title="Email" text="A designed message with a subject, through your mail server." />
        <Choice value="sms" icon={<IconMessage2 size={20} />} title="SMS" text="A short text message to mobile numbers, through Twilio or Vonage." />
      </Group>
    </Radio.Group>
  );
}
