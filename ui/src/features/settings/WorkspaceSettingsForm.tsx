import { Alert, Box, Button, Card, Code, Group, Select, SimpleGrid, Stack, Text, TextInput } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { IconAlertTriangle, IconPointFilled } from "@tabler/icons-react";
import { useEffect, useMemo, useRef, useState, type FormEvent } from "react";
import { errorField, errorMessage } from "../../api/errors";
import { workspaceSettingOptions } from "../../api/workspace";
import type { SettingOptions } from "../../bindings/SettingOptions";
import type { WorkspaceInfo } from "../../bindings/WorkspaceInfo";
import type { WorkspaceSettingsInput } from "../../bindings/WorkspaceSettingsInput";
import { countryOptions } from "../../lib/countries";
import { currencyLabel, timeZoneLabel } from "./labels";
import { useWorkspaceStore } from "../../stores/workspace";

type Field = keyof WorkspaceSettingsInput;

/** The form's fields in the order they are shown (and focused when invalid). */
const ORDER: Field[] = ["name", "defaultRegion", "defaultCurrency", "timeZone"];

const NAME_REQUIRED = "Give the workspace a name";

function settingsOf(info: WorkspaceInfo): WorkspaceSettingsInput {
  return {
    name: info.name,
    defaultRegion: info.defaultRegion ?? "",
    defaultCurrency: info.defaultCurrency,
    timeZone: info.timeZone,
  };
}

/** What would be saved: the name without surrounding spaces, as the backend keeps it. */
function normalized(values: WorkspaceSettingsInput): WorkspaceSettingsInput {
  return { ...values, name: values.name.trim() };
}

/** The choices, always including the saved value (so it shows while the lists load, or if they fail to). */
function withValue(values: readonly string[] | undefined, current: string): string[] {
  const list = values ?? [];
  return current && !list.includes(current) ? [current, ...list] : [...list];
}

function useSettingOptions(): { options: SettingOptions | null; error: string | null } {
  const [state, setState] = useState<{ options: SettingOptions | null; error: string | null }>({ options: null, error: null });
  useEffect(() => {
    let live = true;
    workspaceSettingOptions().then(
      (options) => live && setState({ options, error: null }),
      (e: unknown) => live && setState({ options: null, error: errorMessage(e) }),
    );
    return () => {
      live = false;
    };
  }, []);
  return state;
}

/** The Workspace card: its name, default region, currency and time zone, saved together. */
export function WorkspaceSettingsForm({ info }: { info: WorkspaceInfo }) {
  const saveSettings = useWorkspaceStore((s) => s.saveSettings);
  const saved = settingsOf(info);
  const [values, setValues] = useState<WorkspaceSettingsInput>(saved);
  const [serverErrors, setServerErrors] = useState<Partial<Record<Field, string>>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const { options, error: optionsError } = useSettingOptions();
  const refs = useRef<Partial<Record<Field, HTMLInputElement | null>>>({});

  const next = normalized(values);
  const dirty = ORDER.some((f) => next[f] !== saved[f]);

  const currencyData = useMemo(
    () => withValue(options?.currencies, values.defaultCurrency).map((c) => ({ value: c, label: currencyLabel(c) })),
    [options, values.defaultCurrency],
  );
  const zoneData = useMemo(
    () => withValue(options?.timeZones, values.timeZone).map((z) => ({ value: z, label: timeZoneLabel(z) })),
    [options, values.timeZone],
  );

  const errorOf = (f: Field): string | null => {
    if (f === "name" && !values.name.trim()) return NAME_REQUIRED;
    return serverErrors[f] ?? null;
  };

  function change(f: Field, value: string) {
    setValues((v) => ({ ...v, [f]: value }));
    setFormError(null);
    if (serverErrors[f]) setServerErrors(({ [f]: _, ...rest }) => rest);
  }

  function discard() {
    setValues(saved);
    setServerErrors({});
    setFormError(null);
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (saving || !dirty) return;
    if (!next.name) {
      refs.current.name?.focus();
      return;
    }
    setSaving(true);
    setFormError(null);
    setServerErrors({});
    try {
      const updated = await saveSettings(next);
      setValues(settingsOf(updated));
      notifications.show({
        color: "teal",
        title: "Settings saved",
        message:
          updated.timeZone !== saved.timeZone
            ? `Segment date rules now count days in ${updated.timeZone}.`
            : `${updated.name} is up to date.`,
      });
    } catch (err) {
      const field = errorField(err) as Field | null;
      if (field && ORDER.includes(field)) {
        setServerErrors({ [field]: errorMessage(err) });
        refs.current[field]?.focus();
      } else {
        setFormError(errorMessage(err));
      }
    } finally {
      setSaving(false);
    }
  }

  const common = (f: Field) => ({
    error: errorOf(f),
    errorProps: { "data-testid": `settings-error-${f}` },
    "aria-invalid": errorOf(f) ? true : undefined,
    inputWrapperOrder: ["label", "input", "description", "error"] as ("label" | "input" | "description" | "error")[],
  });

  return (
    <Card p={0}>
      <form onSubmit={(e) => void submit(e)} noValidate data-testid="settings-form">
        <Stack gap="lg" p="lg">
          <Stack gap={2}>
            <Text fw={650}>Workspace</Text>
            <Text size="sm" c="dimmed">
              How Herald names this workspace and reads its phone numbers, money and dates.
            </Text>
          </Stack>
          {formError && (
            <Alert color="red" variant="light" icon={<IconAlertTriangle size={18} />} data-testid="settings-form-error">
              {formError}
            </Alert>
          )}
          {optionsError && (
            <Alert color="yellow" variant="light" icon={<IconAlertTriangle size={18} />} data-testid="settings-options-error">
              The list of currencies and time zones could not be loaded: {optionsError}
            </Alert>
          )}
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="lg" verticalSpacing="lg">
            <TextInput
              {...common("name")}
              ref={(el) => {
                refs.current.name = el;
              }}
              label="Name"
              withAsterisk
              value={values.name}
              onChange={(e) => change("name", e.currentTarget.value)}
              maxLength={80}
              autoComplete="off"
              data-testid="settings-name"
            />
            <Select
              {...common("defaultRegion")}
              ref={(el) => {
                refs.current.defaultRegion = el;
              }}
              label="Default region"
              description="Phone numbers without a +country code are read as numbers from this country."
              placeholder="None"
              data={countryOptions()}
              value={values.defaultRegion || null}
              onChange={(v) => change("defaultRegion", v ?? "")}
              searchable
              clearable
              nothingFoundMessage="No such country"
              maxDropdownHeight={280}
              data-testid="settings-region"
            />
            <Select
              {...common("defaultCurrency")}
              ref={(el) => {
                refs.current.defaultCurrency = el;
              }}
              label="Default currency"
              description="Used for revenue and project values."
              placeholder={options ? undefined : "Loading…"}
              data={currencyData}
              value={values.defaultCurrency || null}
              onChange={(v) => v && change("defaultCurrency", v)}
              searchable
              allowDeselect={false}
              nothingFoundMessage="No such currency"
              maxDropdownHeight={280}
              data-testid="settings-currency"
            />
            <Select
              {...common("timeZone")}
              ref={(el) => {
                refs.current.timeZone = el;
              }}
              label="Time zone"
              description="Segment date rules (before, after, within the last…) count calendar days in this zone."
              placeholder={options ? undefined : "Loading…"}
              data={zoneData}
              value={values.timeZone || null}
              onChange={(v) => v && change("timeZone", v)}
              searchable
              allowDeselect={false}
              nothingFoundMessage="No such time zone"
              maxDropdownHeight={280}
              data-testid="settings-time-zone"
            />
          </SimpleGrid>
          <Stack gap={6} pt="md" style={{ borderTop: "1px solid var(--herald-border)" }}>
            <Stack gap={2}>
              <Text size="sm" fw={600}>
                Workspace file
              </Text>
              <Text size="xs" c="dimmed">
                Everything Herald knows is in this one file. Back it up like any document.
              </Text>
            </Stack>
            <Code block data-testid="settings-path" style={{ wordBreak: "break-all", whiteSpace: "pre-wrap" }}>
              {info.path}
            </Code>
          </Stack>
        </Stack>
        <Group
          justify="space-between"
          gap="sm"
          px="lg"
          py="sm"
          bg="var(--herald-page-bg)"
          style={{ borderTop: "1px solid var(--herald-border)", borderRadius: "0 0 var(--mantine-radius-md) var(--mantine-radius-md)" }}
        >
          <Box>
            {dirty && (
              <Group gap={4} wrap="nowrap" c="dimmed" data-testid="settings-unsaved">
                <IconPointFilled size={14} color="var(--mantine-color-orange-6)" />
                <Text size="sm" c="dimmed">
                  Unsaved changes
                </Text>
              </Group>
            )}
          </Box>
          <Group gap="sm">
            <Button variant="default" onClick={discard} disabled={!dirty || saving} data-testid="settings-discard">
              Discard
            </Button>
            <Button type="submit" loading={saving} disabled={!dirty} data-testid="settings-save">
              Save changes
            </Button>
          </Group>
        </Group>
      </form>
    </Card>
  );
}
