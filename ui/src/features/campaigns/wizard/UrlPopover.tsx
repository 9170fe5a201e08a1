import { ActionIcon, Button, Group, Popover, Stack, TextInput, Tooltip } from "@mantine/core";
import { useState, type FormEvent, type ReactNode } from "react";

/** A toolbar button that asks for a URL (a link's or an image's) and hands it over. */
export function UrlPopover({
  icon,
  label,
  placeholder,
  initial = "",
  onSubmit,
  onRemove,
  testId,
}: {
  icon: ReactNode;
  label: string;
  placeholder: string;
  initial?: string;
  onSubmit: (url: string) => void;
  onRemove?: () => void;
  testId: string;
}) {
  const [opened, setOpened] = useState(false);
  const [value, setValue] = useState(initial);
  const [error, setError] = useState<string | null>(null);

  function submit(e: FormEvent) {
    e.preventDefault();
    e.stopPropagation();
    const url = value.trim();
    if (!/^(https?:\/\/|mailto:)\S+$/i.test(url) && !url.startsWith("{{")) {
      setError("Enter a full address starting with https://");
      return;
    }
    onSubmit(url);
    setOpened(false);
  }

  return (
    <Popover
      opened={opened}
      onChange={setOpened}
      trapFocus
      position="bottom-start"
      shadow="md"
      withinPortal
    >
      <Popover.Target>
        <Tooltip label={label}>
          <ActionIcon
            variant="subtle"
            color="gray"
            aria-label={label}
            onClick={() => {
              setValue(initial);
              setError(null);
              setOpened((o) => !o);
            }}
            data-testid={testId}
          >
            {icon}
          </ActionIcon>
        </Tooltip>
      </Popover.Target>
      <Popover.Dropdown>
        <form onSubmit={submit} noValidate>
          <Stack gap="xs" w={300}>
            <TextInput
              label={label}
              placeholder={placeholder}
              value={value}
              onChange={(e) => {
                setValue(e.currentTarget.value);
                setError(null);
              }}
              error={error}
              data-autofocus
              data-testid={`${testId}-url`}
            />
            <Group justify="flex-end" gap="xs">
              {onRemove && initial && (
                <Button
                  size="xs"
                  variant="subtle"
                  color="red"
                  onClick={() => {
                    onRemove();
                    setOpened(false);
                  }}
                >
                  Remove
                </Button>
              )}
              <Button size="xs" type="submit" data-testid={`${testId}-apply`}>
                Apply
              </Button>
            </Group>
          </Stack>
        </form>
      </Popover.Dropdown>
    </Popover>
  );
}
