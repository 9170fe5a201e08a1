import { ActionIcon, Button, Group, Select, Stack, Text, Tooltip } from "@mantine/core";
import { IconArrowDown, IconArrowUp, IconFolderPlus, IconPlus, IconTrash } from "@tabler/icons-react";
import { useEffect, useRef } from "react";
import { useSegmentsStore } from "../../stores/segments";
import { FIELD_GROUPS, carryValue, emptyValue, operatorLabel, operatorsFor, resolveField, valueKind } from "./fields";
import { MAX_DEPTH, childPath, type DraftGroup, type DraftRule, type GroupMatch } from "./filter";
import { useSegmentOptions } from "./options";
import classes from "./SegmentEditor.module.css";
import { ValueInput } from "./ValueInput";

/** Dropdowns are built when opened: a big filter has many pickers. */
const LAZY = { keepMounted: false } as const;

const MATCH_OPTIONS: { value: GroupMatch; label: string }[] = [
  { value: "all", label: "All of" },
  { value: "any", label: "Any of" },
  { value: "none", label: "None of" },
];

/** The messages to show under a node: why saving refused it, and what the check found. */
function useNodeMessages(id: string): string[] {
  const saveError = useSegmentsStore((s) => s.editor.nodeErrors[id]);
  const issues = useSegmentsStore((s) => s.editor.issues[id]);
  const all = [...(saveError ? [saveError] : []), ...(issues ?? [])];
  return all.filter((m, i) => all.indexOf(m) === i);
}

function Messages({ id, messages }: { id: string; messages: string[] }) {
  if (messages.length === 0) return null;
  return (
    <Stack gap={2} mt={6} id={`${id}-issues`}>
      {messages.map((m) => (
        <Text key={m} size="xs" c="red" data-testid="filter-issue">
          {m}
        </Text>
      ))}
    </Stack>
  );
}

// After a move the moved node's button keeps the focus, so the keyboard can move it again.
let focusAfterMove: { id: string; delta: -1 | 1 } | null = null;

function NodeActions({ id, index, count, kind }: { id: string; index: number; count: number; kind: "rule" | "group" }) {
  const moveNode = useSegmentsStore((s) => s.moveNode);
  const removeNode = useSegmentsStore((s) => s.removeNode);
  const up = useRef<HTMLButtonElement>(null);
  const down = useRef<HTMLButtonElement>(null);
  const first = index === 0;
  const last = index === count - 1;

  useEffect(() => {
    if (focusAfterMove?.id !== id) return;
    const wanted = focusAfterMove.delta === -1 ? (first ? down : up) : last ? up : down;
    focusAfterMove = null;
    wanted.current?.focus();
  });

  const move = (delta: -1 | 1) => {
    focusAfterMove = { id, delta };
    moveNode(id, delta);
  };

  return (
    <Group gap={2} wrap="nowrap" className={classes.actions}>
      <Tooltip label="Move up">
        <ActionIcon ref={up} variant="subtle" color="gray" aria-label="Move up" disabled={first} onClick={() => move(-1)}>
          <IconArrowUp size={16} />
        </ActionIcon>
      </Tooltip>
      <Tooltip label="Move down">
        <ActionIcon ref={down} variant="subtle" color="gray" aria-label="Move down" disabled={last} onClick={() => move(1)}>
          <IconArrowDown size={16} />
        </ActionIcon>
      </Tooltip>
      <Tooltip label={kind === "rule" ? "Remove rule" : "Remove group"}>
        <ActionIcon variant="subtle" color="red" aria-label={kind === "rule" ? "Remove rule" : "Remove group"} onClick={() => removeNode(id)}>
          <IconTrash size={16} />
        </ActionIcon>
      </Tooltip>
    </Group>
  );
}

function RuleEditor({ rule, path, index, count }: { rule: DraftRule; path: string; index: number; count: number }) {
  const changeRule = useSegmentsStore((s) => s.changeRule);
  const options = useSegmentOptions();
  const messages = useNodeMessages(rule.id);
  const def = resolveField(rule.field, options.customFields);
  const kind = valueKind(def.type, rule.op);

  const known = options.catalogue.some((f) => f.field === def.field);
  const catalogue = known ? options.catalogue : [...options.catalogue, def];
  const groups = [...FIELD_GROUPS, "Other"];
  const fieldData = groups
    .map((g) => ({ group: g, items: catalogue.filter((f) => f.group === g).map((f) => ({ value: f.field, label: f.label })) }))
    .filter((g) => g.items.length > 0);
  const ops = operatorsFor(def.type, rule.op);

  function changeField(field: string | null) {
    if (!field || field === rule.field) return;
    const next = resolveField(field, options.customFields);
    const op = operatorsFor(next.type)[0] ?? "";
    changeRule(rule.id, { field, op, value: emptyValue(valueKind(next.type, op)) });
  }

  function changeOp(op: string | null) {
    if (!op || op === rule.op) return;
    changeRule(rule.id, { op, value: carryValue(kind, valueKind(def.type, op), rule.value) });
  }

  return (
    <div
      className={classes.rule}
      data-testid="filter-rule"
      data-path={path}
      data-field={rule.field}
      data-invalid={messages.length > 0 || undefined}
      role="group"
      aria-label={`Rule ${index + 1}`}
      aria-describedby={messages.length ? `${rule.id}-issues` : undefined}
    >
      <div className={classes.ruleRow}>
        <Select
          aria-label="Field"
          data={fieldData}
          value={rule.field}
          onChange={changeField}
          allowDeselect={false}
          searchable
          nothingFoundMessage="No such field"
          maxDropdownHeight={320}
          comboboxProps={{ width: 240, position: "bottom-start", keepMounted: false }}
        />
        <Select
          aria-label="Operator"
          data={ops.map((op) => ({ value: op, label: operatorLabel(def.type, op) }))}
          value={rule.op}
          onChange={changeOp}
          allowDeselect={false}
          comboboxProps={{ width: 220, position: "bottom-start", keepMounted: false }}
        />
        <div className={classes.value}>
          <ValueInput
            key={`${rule.field}|${kind}`}
            kind={kind}
            field={def}
            op={rule.op}
            value={rule.value}
            onChange={(value) => changeRule(rule.id, { value })}
            invalid={messages.length > 0}
          />
        </div>
        <NodeActions id={rule.id} index={index} count={count} kind="rule" />
      </div>
      <Messages id={rule.id} messages={messages} />
    </div>
  );
}

/** A group and everything in it; `index`/`count` place it among its siblings (the root has neither). */
export function GroupEditor({ group, depth, path, index = 0, count = 1 }: {
  group: DraftGroup;
  depth: number;
  path: string;
  index?: number;
  count?: number;
}) {
  const setMatch = useSegmentsStore((s) => s.setMatch);
  const addRule = useSegmentsStore((s) => s.addRule);
  const addGroup = useSegmentsStore((s) => s.addGroup);
  const messages = useNodeMessages(group.id);
  const root = depth === 1;
  const atLimit = depth >= MAX_DEPTH;

  return (
    <div
      className={classes.group}
      data-match={group.match}
      data-depth={depth}
      data-path={path}
      data-testid="filter-group"
      data-invalid={messages.length > 0 || undefined}
      role="group"
      aria-label={root ? "Filter" : `Group ${index + 1}`}
      aria-describedby={messages.length ? `${group.id}-issues` : undefined}
    >
      <Group justify="space-between" wrap="nowrap" gap="xs" mb="xs">
        <Group gap="xs" wrap="nowrap">
          <Select
            aria-label="Group match"
            data={MATCH_OPTIONS}
            value={group.match}
            onChange={(m) => m && setMatch(group.id, m as GroupMatch)}
            allowDeselect={false}
            comboboxProps={LAZY}
            w={116}
            size="xs"
            styles={{ input: { fontWeight: 600 } }}
          />
          <Text size="sm" c="dimmed">
            these conditions
          </Text>
        </Group>
        {!root && <NodeActions id={group.id} index={index} count={count} kind="group" />}
      </Group>
      <Messages id={group.id} messages={messages} />
      <Stack gap="xs" mt={messages.length ? "xs" : 0}>
        {group.children.map((c, i) =>
          c.kind === "rule" ? (
            <RuleEditor key={c.id} rule={c} path={childPath(path, group.match, i)} index={i} count={group.children.length} />
          ) : (
            <GroupEditor key={c.id} group={c} depth={depth + 1} path={childPath(path, group.match, i)} index={i} count={group.children.length} />
          ),
        )}
        {group.children.length === 0 && (
          <Text size="sm" c="dimmed" py={4}>
            {root ? "No conditions: every contact is in this segment. Add a rule to narrow it down." : "This group is empty. Add a rule to it, or remove it."}
          </Text>
        )}
      </Stack>
      <Group gap="xs" mt="sm">
        <Button size="xs" variant="light" leftSection={<IconPlus size={14} />} onClick={() => addRule(group.id)}>
          Add rule
        </Button>
        <Button size="xs" variant="subtle" leftSection={<IconFolderPlus size={14} />} onClick={() => addGroup(group.id)} disabled={atLimit}>
          Add group
        </Button>
        {atLimit && (
          <Text size="xs" c="dimmed" data-testid="depth-limit">
            Groups can be nested at most {MAX_DEPTH} deep.
          </Text>
        )}
      </Group>
    </div>
  );
}
