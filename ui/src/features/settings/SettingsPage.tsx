import { Card, Group, SegmentedControl, Stack, Text, useMantineColorScheme, type MantineColorScheme } from "@mantine/core";
import { IconDeviceDesktop, IconMoon, IconSun } from "@tabler/icons-react";
import type { ReactNode } from "react";
import { Page } from "../../components/Page";
import { PageHeader } from "../../components/PageHeader";
import { useWorkspaceStore } from "../../stores/workspace";
import { NotificationSettingsSection } from "../notifications/NotificationSettingsSection";
import { EmailSettingsSection } from "./EmailSettingsSection";
import { RelaySection } from "./relay/RelaySection";
import { SmsSettingsSection } from "./SmsSettingsSection";
import { WorkspaceSettingsForm } from "./WorkspaceSettingsForm";

function Label({ icon, text }: { icon: ReactNode; text: string }) {
  return (
    <Group gap={6} wrap="nowrap" justify="center">
      {icon}
      <span>{text}</span>
    </Group>
  );
}

export function SettingsPage() {
  const info = useWorkspaceStore((s) => s.info);
  const { colorScheme, setColorScheme } = useMantineColorScheme();
  if (!info) return null;
  return (
    <Page>
      <PageHeader title="Settings" />
      <Stack gap="lg" maw={820}>
        <WorkspaceSettingsForm info={info} />
        <EmailSettingsSection />
        <SmsSettingsSection />
        <RelaySection />
        <NotificationSettingsSection />
        <Card>
          <Group justify="space-between" wrap="wrap" gap="md">
            <Stack gap={2}>
              <Text fw={650}>Appearance</Text>
              <Text size="sm" c="dimmed">
                System follows your computer's light or dark mode.
              </Text>
            </Stack>
            <SegmentedControl
              value={colorScheme}
              onChange={(v) => setColorScheme(v as MantineColorScheme)}
              data={[
                { value: "auto", label: <Label icon={<IconDeviceDesktop size={14} />} text="System" /> },
                { value: "light", label: <Label icon={<IconSun size={14} />} text="Light" /> },
                { value: "dark", label: <Label icon={<IconMoon size={14} />} text="Dark" /> },
              ]}
              data-testid="settings-color-scheme"
            />
          </Group>
        </Card>
      </Stack>
    </Page>
  );
}
