import { Button, Menu } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { IconChevronDown, IconDownload } from "@tabler/icons-react";
import { useState } from "react";
import { analyticsExport, type AnalyticsExportPart } from "../../api/analytics";
import { errorMessage } from "../../api/errors";
import { downloadText } from "../../lib/download";

const PARTS: { part: AnalyticsExportPart; label: string; suffix: string }[] = [
  { part: "metrics", label: "Metrics CSV", suffix: "metrics" },
  { part: "series", label: "Time series CSV", suffix: "time-series" },
  { part: "roster", label: "Recipients CSV", suffix: "recipients" },
];

/** "Spring sale!" → "spring-sale": a file name stem any system accepts. */
export function fileStem(name: string): string {
  return name.replace(/[^\p{L}\p{N}]+/gu, "-").replace(/^-|-$/g, "").toLowerCase() || "campaign";
}

/** The report's CSV parts, each saved as a file named after the campaign. */
export function ExportMenu({ campaignId, name }: { campaignId: string; name: string }) {
  const [busy, setBusy] = useState(false);

  async function save(part: AnalyticsExportPart, suffix: string) {
    setBusy(true);
    try {
      downloadText(await analyticsExport(campaignId, part), `${fileStem(name)}-${suffix}.csv`);
    } catch (e) {
      notifications.show({ color: "red", title: "The export failed", message: errorMessage(e) });
    } finally {
      setBusy(false);
    }
  }

  return (
    <Menu position="bottom-end" withinPortal>
      <Menu.Target>
        <Button variant="default" leftSection={<IconDownload size={16} />} rightSection={<IconChevronDown size={14} />} loading={busy} data-testid="analytics-export">
          Export
        </Button>
      </Menu.Target>
      <Menu.Dropdown>
        {PARTS.map((p) => (
          <Menu.Item key={p.part} onClick={() => void save(p.part, p.suffix)} data-testid={`analytics-export-${p.part}`}>
            {p.label}
          </Menu.Item>
        ))}
      </Menu.Dropdown>
    </Menu>
  );
}
