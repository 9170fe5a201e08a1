import { ActionIcon, Box, Code, Group, Stack, Text, Tooltip } from "@mantine/core";
import { IconCheck, IconCopy } from "@tabler/icons-react";
import { useEffect, useRef, useState } from "react";

type CopyState = "idle" | "copied" | "manual";

/**
 * Copies `text` to the clipboard. Where the web view offers no clipboard
 * access, the text is selected instead, so Ctrl+C (⌘C) copies it.
 */
async function copy(text: string, shown: HTMLElement | null): Promise<CopyState> {
  try {
    await navigator.clipboard.writeText(text);
    return "copied";
  } catch {
    if (shown) {
      const range = document.createRange();
      range.selectNodeContents(shown);
      const selection = window.getSelection();
      selection?.removeAllRanges();
      selection?.addRange(range);
    }
    return "manual";
  }
}

/** A secret or a block of configuration, in monospace, with a copy button. */
export function CopyField({ label, value, testId, block = false }: { label: string; value: string; testId: string; block?: boolean }) {
  const [state, setState] = useState<CopyState>("idle");
  const shown = useRef<HTMLElement>(null);

  useEffect(() => {
    if (state !== "copied") return;
    const t = setTimeout(() => setState("idle"), 2000);
    return () => clearTimeout(t);
  }, [state]);

  const copied = state === "copied";
  return (
    <Stack gap={4}>
      <Group justify="space-between" gap="xs" wrap="nowrap">
        <Text size="sm" fw={600} id={`${testId}-label`}>
          {label}
        </Text>
        {state === "manual" && (
          <Text size="xs" c="dimmed" data-testid={`${testId}-manual`}>
            Selected: press Ctrl+C (⌘C on a Mac) to copy
          </Text>
        )}
      </Group>
      <Group gap="xs" wrap="nowrap" align="stretch">
        <Box style={{ flex: 1, minWidth: 0 }}>
          <Code
            block
            ref={shown}
            aria-labelledby={`${testId}-label`}
            data-testid={testId}
            style={{ wordBreak: "break-all", whiteSpace: "pre-wrap", height: "100%", userSelect: "all" }}
          >
            {block ? value.trimEnd() : value}
          </Code>
        </Box>
        <Tooltip label={copied ? "Copied" : `Copy ${label.toLowerCase()}`} opened={copied || undefined}>
          <ActionIcon
            variant={copied ? "filled" : "default"}
            color={copied ? "teal" : undefined}
            size={36}
            onClick={() => void copy(value, shown.current).then(setState)}
            aria-label={copied ? `${label} copied` : `Copy ${label.toLowerCase()}`}
            data-testid={`${testId}-copy`}
            data-copied={copied || undefined}
          >
            {copied ? <IconCheck size={18} /> : <IconCopy size={18} />}
          </ActionIcon>
        </Tooltip>
      </Group>
    </Stack>
  );
}
