import { Card, Group, Text } from "@mantine/core";
import type { ReactNode } from "react";

export function SectionCard({ title, action, children, testId }: {
  title: ReactNode;
  action?: ReactNode;
  children: ReactNode;
  testId?: string;
}) {
  return (
    <Card data-testid={testId}>
      <Group justify="space-between" mb="md" wrap="nowrap" mih={28}>
        <Text fw={650}>{title}</Text>
        {action}
      </Group>
      {children}
    </Card>
  );
}
