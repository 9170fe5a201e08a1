import { Button, Group, Stack, Text, UnstyledButton } from "@mantine/core";
import { IconReplace } from "@tabler/icons-react";
import type { ForcedUcs2 } from "../../api/sms";
import classes from "./SmsComposer.module.css";

type Forced = { ch: string; replacement: string | null; indexes: number[] };

/** The characters that forced UCS-2, once each, in the order they first appear. */
export function groupForced(forced: ForcedUcs2[]): Forced[] {
  const byChar = new Map<string, Forced>();
  for (const f of forced) {
    const seen = byChar.get(f.ch);
    if (seen) seen.indexes.push(f.index);
    else byChar.set(f.ch, { ch: f.ch, replacement: f.replacement, indexes: [f.index] });
  }
  return [...byChar.values()];
}

/** A visible name for characters that are hard to see (spaces, joiners). */
function shown(ch: string): string {
  const cp = ch.codePointAt(0) ?? 0;
  if (/\s/u.test(ch) || (cp >= 0x200b && cp <= 0x200f) || cp === 0xfeff) return `U+${cp.toString(16).toUpperCase().padStart(4, "0")}`;
  return ch;
}

/**
 * The characters that switched the message to Unicode, highlighted as chips
 * (a click selects the first one in the text), and a one-click replacement
 * when any has a GSM look-alike.
 */
export function ForcedChars({
  forced,
  onSelect,
  onReplace,
  replacing,
}: {
  forced: ForcedUcs2[];
  onSelect: (index: number) => void;
  onReplace: () => void;
  replacing: boolean;
}) {
  const groups = groupForced(forced);
  if (groups.length === 0) return null;
  const replaceable = groups.filter((g) => g.replacement !== null);
  return (
    <Stack gap={6} className={classes.forced} p="sm" data-testid="sms-forced">
      <Text size="sm">These characters send the message as Unicode, which fits less than half as much in each part:</Text>
      <Group gap={6} wrap="wrap">
        {groups.map((g) => (
          <UnstyledButton
            key={g.ch}
            className={classes.chip}
            onClick={() => onSelect(g.indexes[0]!)}
            title={g.replacement !== null ? `Can be replaced by “${g.replacement}”` : "Has no GSM look-alike"}
            data-testid="sms-forced-char"
          >
            <span className={classes.chipChar}>{shown(g.ch)}</span>
            {g.replacement !== null && <span className={classes.chipReplacement}>→ {g.replacement === "" ? "(nothing)" : g.replacement}</span>}
            {g.indexes.length > 1 && <span className={classes.chipCount}>×{g.indexes.length}</span>}
          </UnstyledButton>
        ))}
      </Group>
      {replaceable.length > 0 && (
        <Group gap="sm">
          <Button size="xs" variant="light" leftSection={<IconReplace size={14} />} onClick={onReplace} loading={replacing} data-testid="sms-replace-gsm">
            Replace with GSM equivalents
          </Button>
          {replaceable.length < groups.length && (
            <Text size="xs" c="dimmed">
              Characters without a look-alike (such as emoji) stay; remove them by hand to go back to GSM-7.
            </Text>
          )}
        </Group>
      )}
    </Stack>
  );
}
