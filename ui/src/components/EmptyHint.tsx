import { Group, Text, ThemeIcon } from "@mantine/core";
import type { ReactNode } from "react";

/** A quiet one-line empty state inside a card. */
export function EmptyHint({ icon, text }: { icon: ReactNode; text: ReactNode }) {
  return (
    <Group gap="sm" wrap="nowrap" py="md">
      <ThemeIcon variant="light" color="gray" radius="xl" size={36}>
        {icon}
      </ThemeIcon>
      <Text size="sm" c="dimmed">
        {text}
      </Text>
    </Group>
  );
}
