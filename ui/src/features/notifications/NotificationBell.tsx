import { ActionIcon, Button, Group, Indicator, Popover, ScrollArea, Stack, Text, UnstyledButton } from "@mantine/core";
import { IconBell } from "@tabler/icons-react";
import { useCallback, useEffect, useState } from "react";
import { useNavigate } from "react-router";
import {
  notificationsList,
  notificationsMarkAllRead,
  notificationsMarkRead,
  onNotificationOpen,
  onNotificationsChanged,
  type NotificationList,
  type NotificationView,
} from "../../api/notifications";
import { formatDateTime } from "../../lib/format";
import { keepListening } from "../../lib/listening";

/** The bell polls this often too, in case an event was missed. */
export const POLL_MS = 30_000;

function Item({ item, onOpen }: { item: NotificationView; onOpen: (item: NotificationView) => void }) {
  const unread = item.readAt === null;
  return (
    <UnstyledButton
      onClick={() => onOpen(item)}
      p="xs"
      style={{ borderRadius: 6, background: unread ? "var(--mantine-color-blue-light)" : undefined }}
      data-testid={`notification-${item.id}`}
      data-unread={unread}
    >
      <Text size="sm" fw={unread ? 650 : 500}>
        {item.title}
      </Text>
      <Text size="xs" c="dimmed">
        {item.body}
      </Text>
      <Text size="xs" c="dimmed" mt={2}>
        {formatDateTime(item.createdAt)}
      </Text>
    </UnstyledButton>
  );
}

/** The header's bell: unread badge, the newest notifications, mark read, click-through. */
export function NotificationBell() {
  const [list, setList] = useState<NotificationList | null>(null);
  const [opened, setOpened] = useState(false);
  const navigate = useNavigate();

  const refresh = useCallback(() => {
    // A bell that cannot read says nothing rather than getting in the way.
    notificationsList().then(setList, () => undefined);
  }, []);

  const open = useCallback(
    (item: NotificationView) => {
      if (item.readAt === null) void notificationsMarkRead(item.id).then(refresh, refresh);
      if (item.campaignId) {
        setOpened(false);
        void navigate(`/campaigns/${item.campaignId}`);
      }
    },
    [navigate, refresh],
  );

  // A click on a native notification: open the same one here.
  const openById = useCallback(
    (id: number) => {
      notificationsList().then((fresh) => {
        setList(fresh);
        const item = fresh.items.find((n) => n.id === id);
        if (item) open(item);
      }, () => undefined);
    },
    [open],
  );

  useEffect(() => {
    refresh();
    const timer = window.setInterval(refresh, POLL_MS);
    const stopListening = keepListening(onNotificationsChanged(refresh), onNotificationOpen(openById));
    return () => {
      window.clearInterval(timer);
      stopListening();
    };
  }, [refresh, openById]);

  const markAll = () => void notificationsMarkAllRead().then(refresh, refresh);
  const unread = list?.unread ?? 0;

  return (
    <Popover opened={opened} onChange={setOpened} position="bottom-end" width={360} shadow="md">
      <Popover.Target>
        <Indicator label={unread > 99 ? "99+" : unread} size={16} disabled={unread === 0} offset={4} data-testid="notification-badge">
          <ActionIcon
            variant="subtle"
            color="gray"
            size="lg"
            onClick={() => setOpened((o) => !o)}
            aria-label={unread > 0 ? `Notifications, ${unread} unread` : "Notifications"}
            data-testid="notification-bell"
          >
            <IconBell size={20} stroke={1.7} />
          </ActionIcon>
        </Indicator>
      </Popover.Target>
      <Popover.Dropdown p="xs" data-testid="notification-list">
        <Group justify="space-between" px="xs" pb="xs">
          <Text fw={650} size="sm">
            Notifications
          </Text>
          <Button size="compact-xs" variant="subtle" onClick={markAll} disabled={unread === 0} data-testid="notification-mark-all">
            Mark all read
          </Button>
        </Group>
        {list && list.items.length === 0 ? (
          <Text size="sm" c="dimmed" p="xs">
            Nothing yet. Herald tells you here when a campaign is sent, fails or needs a decision.
          </Text>
        ) : (
          <ScrollArea.Autosize mah={420}>
            <Stack gap={4}>
              {list?.items.map((item) => <Item key={item.id} item={item} onOpen={open} />)}
            </Stack>
          </ScrollArea.Autosize>
        )}
      </Popover.Dropdown>
    </Popover>
  );
}
