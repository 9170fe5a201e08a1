import { Button, Menu, ScrollArea, Text } from "@mantine/core";
import { IconBraces } from "@tabler/icons-react";
import { useEffect, useState } from "react";
import { segmentsCustomFields } from "../../../api/segments";
import type { CustomFieldInfo } from "../../../bindings/CustomFieldInfo";
import { variablesWith } from "./variables";

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

/** A menu of personalisation variables; picking one calls `onPick` with its tag. */
export function VariablePicker({ onPick, testId, size = "xs" }: { onPick: (tag: string) => void; testId: string; size?: "xs" | "compact-xs" }) {
  const custom = useCustomFields();
  const vars = variablesWith(custom);
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
                .map((v) => (
                  <Menu.Item key={v.tag} onClick={() => onPick(v.tag)} data-testid={`variable-${v.tag}`}>
                    <Text size="sm">{v.label}</Text>
                    <Text size="xs" c="dimmed" ff="monospace">
                      {`{{ ${v.tag} }}`}
                    </Text>
                  </Menu.Item>
                ))}
            </div>
          ))}
        </ScrollArea.Autosize>
      </Menu.Dropdown>
    </Menu>
  );
}
