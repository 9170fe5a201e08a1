import { Button, Menu, ScrollArea, Text } from "@mantine/core";
import { IconBraces } from "@tabler/icons-react";
import { useEffect, useState } from "react";
import { segmentsCustomFields } from "../../../api/segments";
import type { CustomFieldInfo } from "../../../bindings/CustomFieldInfo";
import { useRelayStore } from "../../../stores/relay";
import { NEEDS_RELAY, relayConfigured, variablesWith } from "./variables";

/** The workspace's custom fields, read once per mount (empty when they cannot be read). */
export function useCustomFields(): CustomFieldInfo[] {
  const [fields, setFields] = useState<CustomFieldInfo[]>([]);
  useEffect(() => {
    let live = true;
    segmentsCustomFields().then(
      (f) => live && setFields(f),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, []);
  return fields;
}

/** Whether a relay is set up, read again each time a picker with links mounts. */
function useRelayConfigured(enabled: boolean): boolean {
  const status = useRelayStore((s) => s.status);
  const load = useRelayStore((s) => s.load);
  useEffect(() => {
    if (enabled) void load();
  }, [enabled, load]);
  return relayConfigured(status);
}

/**
 * A menu of personalisation variables; picking one calls `onPick` with its
 * tag. `links` (an email's body) adds the unsubscribe and web version links;
 * the web version link is shown disabled until a relay is set up.
 */
export function VariablePicker({
  onPick,
  testId,
  size = "xs",
  links = false,
}: {
  onPick: (tag: string) => void;
  testId: string;
  size?: "xs" | "compact-xs";
  links?: boolean;
}) {
  const custom = useCustomFields();
  const relay = useRelayConfigured(links);
  const vars = variablesWith(custom, { links });
  const groups = [...new Set(vars.map((v) => v.group))];
  return (
    <Menu position="bottom-end" withinPortal shadow="md">
      <Menu.Target>
        <Button size={size} variant="subtle" leftSection={<IconBraces size={14} />} data-testid={testId}>
          Insert variable
        </Button>
      </Menu.Target>
      <Menu.Dropdown>
        <ScrollArea.Autosize mah={300} type="auto">
          {groups.map((g) => (
            <div key={g}>
              <Menu.Label>{g}</Menu.Label>
              {vars
                .filter((v) => v.group === g)
                .map((v) => {
                  const unavailable = !!v.needsRelay && !relay;
                  return (
                    <Menu.Item key={v.tag} onClick={() => onPick(v.tag)} disabled={unavailable} data-testid={`variable-${v.tag}`}>
                      <Text size="sm">{v.label}</Text>
                      <Text size="xs" c="dimmed" ff="monospace">
                        {`{{ ${v.tag} }}`}
                      </Text>
                      {unavailable && (
                        <Text size="xs" c="dimmed" data-testid={`variable-${v.tag}-needs-relay`}>
                          {NEEDS_RELAY}
                        </Text>
                      )}
                    </Menu.Item>
                  );
                })}
            </div>
          ))}
        </ScrollArea.Autosize>
      </Menu.Dropdown>
    </Menu>
  );
}
