import { Group, MultiSelect, NumberInput, Select, TagsInput, Text, TextInput } from "@mantine/core";
import { useState } from "react";
import { countryOptions } from "../../lib/countries";
import { humanize } from "../../lib/format";
import { EMAIL_STATUSES, SMS_STATUSES, statusLabel } from "../../lib/status";
import type { FieldDef, ValueKind } from "./fields";
import { RELATIVE_UNITS, type DraftValue, type RelativeUnit } from "./filter";
import { useSegmentOptions } from "./options";

type Props = {
  kind: ValueKind;
  field: FieldDef;
  op: string;
  value: DraftValue;
  onChange: (value: DraftValue) => void;
  invalid: boolean;
};

/** Dropdowns are built when opened (a country list has 249 options). */
const LAZY = { keepMounted: false } as const;

const asString = (v: unknown): string => (typeof v === "string" ? v : "");
const asStrings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : []);
const asNumber = (v: unknown): number | "" => (typeof v === "number" && Number.isFinite(v) ? v : "");
/** NumberInput reports a string while the text is not a number yet ("", "-", "1."). */
const fromNumberInput = (v: number | string): number | null => (typeof v === "number" && Number.isFinite(v) ? v : null);

/** Options for a list of values, keeping any chosen value the list does not have (a status since removed, say). */
function withChosen(options: { value: string; label: string }[], chosen: string[], label: (v: string) => string = (v) => v) {
  const missing = chosen.filter((v) => !options.some((o) => o.value === v));
  return [...options, ...missing.map((v) => ({ value: v, label: label(v) }))];
}

function NumberValue({ field, value, onChange, invalid, label }: {
  field: FieldDef;
  value: unknown;
  onChange: (v: number | null) => void;
  invalid: boolean;
  label: string;
}) {
  // While the text is not a number yet ("1.", "-") the rule holds null; the input keeps the text.
  const [text, setText] = useState<number | string>(asNumber(value));
  const current = typeof value === "number" && Number.isFinite(value) ? value : null;
  const shown = fromNumberInput(text) === current ? text : asNumber(value);
  return (
    <NumberInput
      aria-label={label}
      placeholder={field.type === "revenue" ? "Amount" : "Number"}
      value={shown}
      onChange={(v) => {
        setText(v);
        onChange(fromNumberInput(v));
      }}
      decimalScale={2}
      thousandSeparator=","
      hideControls
      error={invalid}
      className="tabular"
    />
  );
}

/** The input a rule's value needs, chosen by its field and operator. */
export function ValueInput({ kind, field, op, value, onChange, invalid }: Props) {
  const options = useSegmentOptions();

  switch (kind) {
    case "none":
      return null;
    case "raw":
      return (
        <TextInput
          aria-label="Value"
          value={value === undefined ? "" : JSON.stringify(value)}
          readOnly
          description="This kind of rule cannot be edited here; it is kept as it is."
        />
      );
    case "text":
      return <TextInput aria-label="Value" placeholder="Text" value={asString(value)} onChange={(e) => onChange(e.currentTarget.value)} error={invalid} />;
    case "textList":
      return (
        <TagsInput
          comboboxProps={LAZY}
          aria-label="Value"
          placeholder="Type a value, press Enter"
          value={asStrings(value)}
          onChange={onChange}
          acceptValueOnBlur
          splitChars={[","]}
          error={invalid}
        />
      );
    case "country":
      return (
        <Select
          comboboxProps={LAZY}
          aria-label="Value"
          placeholder="Choose a country"
          data={withChosen(countryOptions(), asString(value) ? [asString(value)] : [])}
          value={asString(value) || null}
          onChange={(v) => onChange(v ?? "")}
          searchable
          nothingFoundMessage="No such country"
          error={invalid}
        />
      );
    case "countryList":
      return (
        <MultiSelect
          comboboxProps={LAZY}
          aria-label="Value"
          placeholder={asStrings(value).length ? undefined : "Choose countries"}
          data={withChosen(countryOptions(), asStrings(value))}
          value={asStrings(value)}
          onChange={onChange}
          searchable
          nothingFoundMessage="No such country"
          error={invalid}
        />
      );
    case "tags":
      return (
        <TagsInput
          comboboxProps={LAZY}
          aria-label="Value"
          placeholder={asStrings(value).length ? undefined : options.tags.length ? "Choose or type tags" : "Type a tag, press Enter"}
          data={options.tags}
          value={asStrings(value)}
          onChange={onChange}
          acceptValueOnBlur
          splitChars={[","]}
          error={invalid}
        />
      );
    case "projectStatuses":
    case "emailStatuses":
    case "smsStatuses": {
      const all = kind === "projectStatuses" ? options.projectStatuses : kind === "emailStatuses" ? EMAIL_STATUSES : SMS_STATUSES;
      const label = kind === "projectStatuses" ? humanize : statusLabel;
      const chosen = asStrings(value);
      return (
        <MultiSelect
          comboboxProps={LAZY}
          aria-label="Value"
          placeholder={chosen.length ? undefined : "Choose statuses"}
          data={withChosen(all.map((s) => ({ value: s, label: label(s) })), chosen, label)}
          value={chosen}
          onChange={onChange}
          error={invalid}
        />
      );
    }
    case "number":
      return <NumberValue field={field} value={value} onChange={onChange} invalid={invalid} label="Value" />;
    case "numberRange": {
      const [lo, hi] = Array.isArray(value) ? value : [null, null];
      return (
        <Group gap="xs" wrap="nowrap" align="center">
          <NumberValue field={field} value={lo} onChange={(v) => onChange([v, typeof hi === "number" ? hi : null])} invalid={invalid} label="From" />
          <Text size="sm" c="dimmed">
            and
          </Text>
          <NumberValue field={field} value={hi} onChange={(v) => onChange([typeof lo === "number" ? lo : null, v])} invalid={invalid} label="To" />
        </Group>
      );
    }
    case "date":
      return <TextInput type="date" aria-label="Value" value={asString(value)} onChange={(e) => onChange(e.currentTarget.value)} error={invalid} />;
    case "dateRange": {
      const [from, to] = Array.isArray(value) ? value.map(asString) : ["", ""];
      return (
        <Group gap="xs" wrap="nowrap" align="center">
          <TextInput type="date" aria-label="From" value={from} onChange={(e) => onChange([e.currentTarget.value, to ?? ""])} error={invalid} flex={1} />
          <Text size="sm" c="dimmed">
            and
          </Text>
          <TextInput type="date" aria-label="To" value={to} onChange={(e) => onChange([from ?? "", e.currentTarget.value])} error={invalid} flex={1} />
        </Group>
      );
    }
    case "relative": {
      const rel = (value && typeof value === "object" ? value : {}) as { amount?: unknown; unit?: unknown };
      const unit = (RELATIVE_UNITS as readonly unknown[]).includes(rel.unit) ? (rel.unit as RelativeUnit) : "days";
      return (
        <Group gap="xs" wrap="nowrap" align="center">
          <NumberInput
            aria-label="Amount"
            placeholder="30"
            value={asNumber(rel.amount)}
            onChange={(v) => onChange({ amount: fromNumberInput(v), unit })}
            min={1}
            allowDecimal={false}
            allowNegative={false}
            hideControls
            w={80}
            error={invalid}
            className="tabular"
          />
          <Select
            comboboxProps={LAZY}
            aria-label="Unit"
            data={RELATIVE_UNITS.map((u) => ({ value: u, label: u }))}
            value={unit}
            onChange={(u) => onChange({ amount: typeof rel.amount === "number" ? rel.amount : null, unit: (u ?? "days") as RelativeUnit })}
            allowDeselect={false}
            w={110}
          />
          {op === "more_than_ago" && (
            <Text size="sm" c="dimmed">
              ago
            </Text>
          )}
        </Group>
      );
    }
    case "segment":
      return (
        <Select
          comboboxProps={LAZY}
          aria-label="Value"
          placeholder={options.segments.length ? "Choose a segment" : "No other segments yet"}
          data={withChosen(options.segments, asString(value) ? [asString(value)] : [], () => "Deleted segment")}
          value={asString(value) || null}
          onChange={(v) => onChange(v ?? "")}
          searchable
          nothingFoundMessage="No such segment"
          error={invalid}
        />
      );
  }
}
