import { Alert, Box, Group, Image, Skeleton, Text, UnstyledButton } from "@mantine/core";
import { IconAlertTriangle, IconCheck, IconTemplate } from "@tabler/icons-react";
import type { TemplateSummary } from "../../../api/campaigns";

const THUMB_H = 112;

/** An image source for a thumbnail: the built-ins carry SVG markup, others a data URI. */
export function thumbnailSrc(thumbnail: string | null): string | null {
  if (!thumbnail) return null;
  const t = thumbnail.trim();
  if (t.startsWith("<svg")) return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(t)}`;
  return /^data:image\//.test(t) ? t : null;
}

function Thumb({ t }: { t: TemplateSummary }) {
  const src = thumbnailSrc(t.thumbnail);
  if (src) {
    return <Image src={src} alt="" h={THUMB_H} fit="cover" radius="sm" style={{ objectPosition: "top" }} />;
  }
  return (
    <Box h={THUMB_H} style={{ display: "grid", placeItems: "center", background: "var(--herald-muted-bg)", borderRadius: 6 }}>
      <IconTemplate size={28} stroke={1.3} color="var(--mantine-color-dimmed)" />
    </Box>
  );
}

/** A row of template cards; picking one loads its HTML into the editor. */
export function TemplatePicker({
  templates,
  error,
  selected,
  loadingId,
  onPick,
}: {
  templates: TemplateSummary[] | null;
  error: string | null;
  selected: string | null;
  loadingId: string | null;
  onPick: (t: TemplateSummary) => void;
}) {
  if (error) {
    return (
      <Alert color="red" variant="light" icon={<IconAlertTriangle size={18} />} title="Templates could not be loaded">
        {error}
      </Alert>
    );
  }
  return (
    <Group gap="sm" wrap="nowrap" style={{ overflowX: "auto" }} pb={4} data-testid="template-picker">
      {templates === null
        ? [0, 1, 2].map((i) => <Skeleton key={i} w={150} h={THUMB_H + 34} radius="md" style={{ flexShrink: 0 }} />)
        : templates.map((t) => {
            const on = t.id === selected;
            return (
              <UnstyledButton
                key={t.id}
                onClick={() => onPick(t)}
                disabled={loadingId !== null}
                aria-pressed={on}
                data-testid="template-card"
                w={150}
                p={6}
                style={{
                  flexShrink: 0,
                  borderRadius: 8,
                  border: `1px solid ${on ? "var(--mantine-color-indigo-5)" : "var(--herald-border)"}`,
                  boxShadow: on ? "0 0 0 1px var(--mantine-color-indigo-5)" : undefined,
                  opacity: loadingId && loadingId !== t.id ? 0.6 : 1,
                }}
              >
                <Thumb t={t} />
                <Group gap={4} mt={6} wrap="nowrap" justify="space-between">
                  <Text size="xs" fw={600} truncate>
                    {t.name}
                  </Text>
                  {on && <IconCheck size={14} color="var(--mantine-color-indigo-6)" />}
                </Group>
                <Text size="xs" c="dimmed">
                  {t.builtin ? "Starter" : "Yours"}
                </Text>
              </UnstyledButton>
            );
          })}
    </Group>
  );
}
