import { AppShell, Badge, Burger, Center, Divider, Group, Loader, NavLink, Stack, Text, Tooltip } from "@mantine/core";
import { useDisclosure } from "@mantine/hooks";
import {
  IconChartBar,
  IconDatabase,
  IconFileImport,
  IconFilter,
  IconLayoutDashboard,
  IconMail,
  IconSettings,
  IconUsers,
} from "@tabler/icons-react";
import { Suspense, useEffect, type ReactNode } from "react";
import { NavLink as RouterNavLink, Outlet, useLocation } from "react-router";
import { formatCount } from "../lib/format";
import { NotificationBell } from "../features/notifications/NotificationBell";
import { firstScreenShown } from "../lib/firstScreen";
import { ANALYTICS_ROUTES, isAnalyticsPath } from "../lib/analyticsRoutes";
import { startupStep } from "../lib/startup";
import { useWorkspaceStore } from "../stores/workspace";
import classes from "./AppLayout.module.css";
import { ErrorState } from "./ErrorState";
import { LogoMark } from "./Logo";

/** How long after the workspace opens the shell tells the app its first screen is shown, when the screen has not. */
export const FIRST_SCREEN_FALLBACK_MS = 1500;

type NavItem = {
  to: string;
  label: string;
  icon: ReactNode;
  badge?: ReactNode;
  /** When the item is the current screen; by default, paths under `to`. */
  activeOn?: (path: string) => boolean;
};

function NavItemLink({ item, onNavigate }: { item: NavItem; onNavigate: () => void }) {
  const location = useLocation();
  const path = location.pathname;
  const active = item.activeOn ? item.activeOn(path) : path.startsWith(item.to);
  return (
    <NavLink
      component={RouterNavLink}
      to={item.to}
      label={item.label}
      leftSection={item.icon}
      rightSection={item.badge}
      active={active}
      // Our rule, not the router's prefix match (which would mark Campaigns
      // on the comparison too): Mantine styles aria-current like active.
      aria-current={active ? "page" : false}
      onClick={onNavigate}
      className={classes.navLink}
      data-testid={`nav-${item.label.toLowerCase().replace(/\s+/g, "-")}`}
    />
  );
}

export function AppLayout() {
  const [opened, { toggle, close }] = useDisclosure();
  const info = useWorkspaceStore((s) => s.info);
  const status = useWorkspaceStore((s) => s.status);
  const error = useWorkspaceStore((s) => s.error);
  const load = useWorkspaceStore((s) => s.load);

  useEffect(() => {
    startupStep("shell_committed");
    requestAnimationFrame(() => requestAnimationFrame(() => startupStep("shell_painted")));
    if (useWorkspaceStore.getState().status === "idle") void load();
  }, [load]);

  // Screens other than the contact list and the dashboard do not say when
  // they are shown: tell the app a little after the workspace is open.
  useEffect(() => {
    if (!info) return;
    const timer = setTimeout(firstScreenShown, FIRST_SCREEN_FALLBACK_MS);
    return () => clearTimeout(timer);
  }, [info]);

  const primary: NavItem[] = [
    { to: "/", label: "Dashboard", icon: <IconLayoutDashboard size={18} stroke={1.7} />, activeOn: (path) => path === "/" },
    {
      to: "/contacts",
      label: "Contacts",
      icon: <IconUsers size={18} stroke={1.7} />,
      badge: info && info.contacts > 0 ? (
        <Badge size="sm" variant="default" radius="xl" className="tabular">
          {formatCount(info.contacts)}
        </Badge>
      ) : undefined,
    },
    { to: "/segments", label: "Segments", icon: <IconFilter size={18} stroke={1.7} /> },
    {
      to: "/campaigns",
      label: "Campaigns",
      icon: <IconMail size={18} stroke={1.7} />,
      activeOn: (path) => path.startsWith("/campaigns") && !isAnalyticsPath(path),
    },
    // Reports open from their campaign; this is where campaigns are set side by side.
    { to: `/${ANALYTICS_ROUTES.compare}`, label: "Analytics", icon: <IconChartBar size={18} stroke={1.7} />, activeOn: isAnalyticsPath },
  ];
  const secondary: NavItem[] = [
    { to: "/import", label: "Import CSV", icon: <IconFileImport size={18} stroke={1.7} /> },
    { to: "/settings", label: "Settings", icon: <IconSettings size={18} stroke={1.7} /> },
  ];

  let content: ReactNode;
  if (status === "error") {
    content = (
      <Center h="70vh">
        <ErrorState title="Herald could not open your workspace" message={error ?? ""} onRetry={() => void load()} />
      </Center>
    );
  } else {
    // Screens do not wait for the workspace info: the contact list asks for
    // its first page at once, beside it (the home screen waits, to choose
    // between onboarding and the dashboard). A screen's code loads the first
    // time it opens (App.tsx): the shell stays and the page area shows the
    // same loader meanwhile.
    content = (
      <Suspense
        fallback={
          <Center h="70vh">
            <Loader type="dots" aria-label="Loading" />
          </Center>
        }
      >
        <Outlet />
      </Suspense>
    );
  }

  return (
    <AppShell
      header={{ height: 56 }}
      navbar={{ width: 220, breakpoint: "sm", collapsed: { mobile: !opened } }}
      padding={0}
    >
      <AppShell.Header>
        <div className={classes.header}>
          <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label="Toggle navigation" />
          <div className={classes.brand}>
            <LogoMark />
            <span className={classes.wordmark}>Herald</span>
          </div>
          {info && (
            <Group gap="xs" className={classes.workspace} wrap="nowrap" visibleFrom="xs">
              <Divider orientation="vertical" h={20} style={{ alignSelf: "center" }} />
              <Tooltip label={info.path} multiline maw={420} style={{ wordBreak: "break-all" }}>
                <Group gap={6} wrap="nowrap">
                  <IconDatabase size={16} stroke={1.6} color="var(--mantine-color-dimmed)" />
                  <Text fw={600} size="sm" truncate data-testid="workspace-name">
                    {info.name}
                  </Text>
                </Group>
              </Tooltip>
            </Group>
          )}
          {info && (
            <div style={{ marginLeft: "auto" }}>
              <NotificationBell />
            </div>
          )}
        </div>
      </AppShell.Header>

      <AppShell.Navbar className={classes.navbar}>
        <AppShell.Section grow>
          <Stack gap={0}>
            {primary.map((item) => (
              <NavItemLink key={item.to} item={item} onNavigate={close} />
            ))}
          </Stack>
        </AppShell.Section>
        <AppShell.Section>
          <Stack gap={0}>
            {secondary.map((item) => (
              <NavItemLink key={item.to} item={item} onNavigate={close} />
            ))}
          </Stack>
        </AppShell.Section>
      </AppShell.Navbar>

      <AppShell.Main className={classes.main}>{content}</AppShell.Main>
    </AppShell>
  );
}
