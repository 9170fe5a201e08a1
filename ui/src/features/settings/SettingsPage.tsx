import { Card, Code, Group, SegmentedControl, Stack, Text, useMantineColorScheme, type MantineColorScheme } from "@mantine/core";
import { IconDeviceDesktop, IconMoon, IconSun } from "@tabler/icons-react";
import type { ReactNode } from "react";
import { Page } from "../../components/Page";
import { PageHeader } from "../../components/PageHeader";
import { countryName } from "../../lib/format";
import { useWorkspaceStore } from "../../stores/workspace";

function Setting({ label, hint, children, testId }: { label: string; hint?: ReactNode; children: ReactNode; testId?: string }) {
  return (
    <Group justify="space-between" align="flex-start" wrap="nowrap" gap="xl" py="sm">
      <Stack gap={2} maw={420}>
        <Text size="sm" fw={600}>
          {label}
        </Text>
        {hint && (
          <Text size="xs" c="dimmed">
            {hint}
          </Text>
        )}
      </Stack>
      <Text size="sm" ta="right" data-testid={testId} style={{ wordBreak: "break-all" }}>
        {children}
      </Text>
    </Group>
  );
}

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
        <Card>
          <Text fw={650}>Workspace</Text>
          <Text size="sm" c="dimmed" mb="sm">
            These are read-only here for now. Change them with the Herald command line, for example{" "}
            <Code>herald settings default-region US</Code>.
          </Text>
          <Stack gap={0} style={{ borderTop: "1px solid var(--herald-border)" }}>
            <Setting label="Name" testId="settings-name">
              {info.name}
            </Setting>
            <Setting label="Default region" hint="Phone numbers without a +country code are read as numbers from this country." testId="settings-region">
              {info.defaultRegion ? `${countryName(info.defaultRegion)} (${info.defaultRegion})` : <Text span c="dimmed" size="sm">Not set</Text>}
            </Setting>
            <Setting label="Default currency" hint="Used for revenue and project values." testId="settings-currency">
              {info.defaultCurrency}
            </Setting>
            <Stack gap={6} py="sm">
              <Stack gap={2}>
                <Text size="sm" fw={600}>
                  Workspace file
                </Text>
                <Text size="xs" c="dimmed">
                  Everything Herald knows is in this one file. Back it up like any document.
                </Text>
              </Stack>
              <Code block data-testid="settings-path" style={{ wordBreak: "break-all", whiteSpace: "pre-wrap" }}>
                {info.path}
              </Code>
            </Stack>
          </Stack>
        </Card>
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
