import { Divider, Group, Stack, Text } from "@mantine/core";
import type { ReactNode } from "react";
import type { ContactDetail } from "../../bindings/ContactDetail";
import { countryName, formatDate, formatDateTime, formatMoney, humanize } from "../../lib/format";
import { SectionCard } from "./SectionCard";

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Group justify="space-between" align="flex-start" wrap="nowrap" gap="md">
      <Text size="sm" c="dimmed" style={{ flexShrink: 0 }}>
        {label}
      </Text>
      <Text size="sm" ta="right" style={{ wordBreak: "break-word" }} className="tabular">
        {children ?? <Text span c="dimmed">—</Text>}
      </Text>
    </Group>
  );
}

function customValue(v: unknown): string {
  if (typeof v === "boolean") return v ? "Yes" : "No";
  if (typeof v === "string" || typeof v === "number") return String(v);
  return JSON.stringify(v);
}

export function DetailsCard({ detail }: { detail: ContactDetail }) {
  const c = detail.contact;
  const custom = Object.entries(detail.custom);
  return (
    <SectionCard title="Details" testId="details-card">
      <Stack gap="sm">
        <Row label="Company">{c.company}</Row>
        <Row label="City">{c.city}</Row>
        <Row label="State / region">{detail.region}</Row>
        <Row label="Country">{c.country ? `${countryName(c.country)}` : null}</Row>
        <Row label="Revenue">{formatMoney(c.revenueMinor, c.revenueCurrency)}</Row>
        <Divider my={4} />
        <Row label="Created">{formatDate(c.createdAt)}</Row>
        <Row label="Updated">{formatDateTime(detail.updatedAt)}</Row>
        <Row label="Last interaction">{c.lastInteractionAt ? formatDate(c.lastInteractionAt) : "Never"}</Row>
        {custom.length > 0 && (
          <>
            <Divider my={4} label="Custom fields" labelPosition="left" />
            {custom.map(([k, v]) => (
              <Row key={k} label={humanize(k)}>
                {customValue(v)}
              </Row>
            ))}
          </>
        )}
      </Stack>
    </SectionCard>
  );
}
