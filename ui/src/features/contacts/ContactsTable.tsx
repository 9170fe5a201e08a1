import { Avatar, Button, Group, Skeleton, Text, Tooltip } from "@mantine/core";
import { IconArrowDown, IconArrowUp, IconRefresh, IconSelector } from "@tabler/icons-react";
import { useVirtualizer } from "@tanstack/react-virtual";
import { useEffect, useRef, type KeyboardEvent, type ReactNode } from "react";
import { useNavigate } from "react-router";
import type { ContactRow } from "../../bindings/ContactRow";
import { ErrorState } from "../../components/ErrorState";
import { countryName, formatDate, formatMoney, initials } from "../../lib/format";
import { statusColor, statusLabel } from "../../lib/status";
import { useContactsStore } from "../../stores/contacts";
import { COLUMNS, GRID_TEMPLATE, HEADER_HEIGHT, MIN_WIDTH, PREFETCH_ROWS, ROW_HEIGHT, type Column } from "./columns";
import classes from "./ContactsTable.module.css";

const gridStyle = { gridTemplateColumns: GRID_TEMPLATE, minWidth: MIN_WIDTH };

function SortHeader({ column }: { column: Column }) {
  const sort = useContactsStore((s) => s.sort);
  const direction = useContactsStore((s) => s.direction);
  const toggleSort = useContactsStore((s) => s.toggleSort);
  const active = sort === column.field;
  const Icon = !active ? IconSelector : direction === "asc" ? IconArrowUp : IconArrowDown;
  return (
    <div
      role="columnheader"
      aria-sort={active ? (direction === "asc" ? "ascending" : "descending") : "none"}
      className={`${classes.headerCell} ${column.align === "right" ? classes.right : ""}`}
    >
      <button
        type="button"
        className={classes.sortButton}
        data-active={active || undefined}
        onClick={() => toggleSort(column.field)}
        data-testid={`sort-${column.field}`}
        style={{ background: "none", border: 0, cursor: "pointer" }}
      >
        {column.label}
        <Icon size={13} stroke={2} opacity={active ? 1 : 0.5} />
      </button>
    </div>
  );
}

function Cells({ c }: { c: ContactRow }) {
  const email = c.email ? (
    <Tooltip label={`Email: ${statusLabel(c.emailStatus)}`} position="top-start">
      <span>
        <span className={classes.dot} style={{ background: `var(--mantine-color-${statusColor(c.emailStatus)}-5)` }} />
        {c.email}
      </span>
    </Tooltip>
  ) : (
    <span className={classes.muted}>{c.phone ?? "—"}</span>
  );
  return (
    <>
      <div className={`${classes.cell} ${classes.nameCell}`} role="cell">
        <Avatar name={c.displayName} color="initials" radius="xl" size={30}>
          {initials(c.displayName)}
        </Avatar>
        <span className={classes.nameText}>{c.displayName}</span>
      </div>
      <div className={classes.cell} role="cell">
        {email}
      </div>
      <div className={classes.cell} role="cell">
        {c.company ?? <span className={classes.muted}>—</span>}
      </div>
      <div className={classes.cell} role="cell" title={c.country ?? undefined}>
        {c.country ? countryName(c.country) : <span className={classes.muted}>—</span>}
      </div>
      <div className={`${classes.cell} tabular`} role="cell">
        {formatDate(c.createdAt)}
      </div>
      <div className={`${classes.cell} tabular ${c.lastInteractionAt ? "" : classes.muted}`} role="cell">
        {c.lastInteractionAt ? formatDate(c.lastInteractionAt) : "Never"}
      </div>
      <div className={`${classes.cell} tabular ${classes.right}`} role="cell">
        {c.revenueMinor ? formatMoney(c.revenueMinor, c.revenueCurrency) : <span className={classes.muted}>—</span>}
      </div>
    </>
  );
}

function SkeletonCells() {
  return (
    <>
      <div className={`${classes.cell} ${classes.nameCell}`}>
        <Skeleton circle h={30} w={30} />
        <Skeleton h={10} w="60%" />
      </div>
      {COLUMNS.slice(1).map((c) => (
        <div key={c.field} className={classes.cell}>
          <Skeleton h={10} w={c.align === "right" ? "50%" : "70%"} ml={c.align === "right" ? "auto" : 0} />
        </div>
      ))}
    </>
  );
}

/**
 * The contacts of the current query, virtualised: only the rows in view (plus
 * a few) are in the DOM however many are loaded, and the next keyset page is
 * fetched as the end of the loaded rows comes near.
 */
export function ContactsTable({ empty }: { empty: ReactNode }) {
  const navigate = useNavigate();
  const items = useContactsStore((s) => s.items);
  const total = useContactsStore((s) => s.total);
  const status = useContactsStore((s) => s.status);
  const error = useContactsStore((s) => s.error);
  const hasMore = useContactsStore((s) => s.nextCursor !== null);
  const loadMore = useContactsStore((s) => s.loadMore);
  const reload = useContactsStore((s) => s.reload);
  const scrollRef = useRef<HTMLDivElement>(null);

  const firstLoad = items.length === 0 && (status === "loading" || status === "idle");
  const failedFirst = items.length === 0 && status === "error";
  const failedMore = items.length > 0 && status === "error";
  // One extra row at the end stands for the page still to come (a skeleton, or the error).
  const count = firstLoad ? 12 : items.length + (hasMore || failedMore ? 1 : 0);

  // TanStack Virtual returns a mutable instance; fine without the React Compiler, which this app does not use.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 8,
    scrollMargin: HEADER_HEIGHT,
    initialRect: { width: 1200, height: 800 },
  });
  const virtualRows = virtualizer.getVirtualItems();
  const lastIndex = virtualRows[virtualRows.length - 1]?.index ?? -1;

  useEffect(() => {
    if (!firstLoad && hasMore && status === "ready" && lastIndex >= items.length - PREFETCH_ROWS) void loadMore();
  }, [firstLoad, hasMore, status, lastIndex, items.length, loadMore]);

  // A new query starts at the top.
  const queryKey = useContactsStore((s) => `${JSON.stringify(s.filters)}|${s.sort}|${s.direction}`);
  useEffect(() => {
    scrollRef.current?.scrollTo({ top: 0 });
  }, [queryKey]);

  const open = (id: string) => navigate(`/contacts/${id}`);
  const onRowKey = (e: KeyboardEvent<HTMLDivElement>, id: string) => {
    if (e.key === "Enter" || e.key === " ") {
      e.preventDefault();
      open(id);
    } else if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      e.preventDefault();
      const sibling = (e.key === "ArrowDown" ? e.currentTarget.nextElementSibling : e.currentTarget.previousElementSibling) as HTMLElement | null;
      sibling?.focus();
    }
  };

  if (failedFirst) {
    return (
      <div className={classes.frame}>
        <div className={classes.centered}>
          <ErrorState title="Contacts could not be loaded" message={error ?? ""} onRetry={() => void reload()} testId="contacts-error" />
        </div>
      </div>
    );
  }
  if (!firstLoad && status === "ready" && total === 0) {
    return (
      <div className={classes.frame}>
        <div className={classes.centered}>{empty}</div>
      </div>
    );
  }

  return (
    <div className={classes.frame}>
      <div
        className={classes.scroller}
        ref={scrollRef}
        role="table"
        aria-label="Contacts"
        aria-rowcount={total + 1}
        aria-busy={status === "loading" || status === "loadingMore"}
        data-testid="contacts-table"
      >
        <div className={`${classes.grid} ${classes.header}`} style={gridStyle} role="row" aria-rowindex={1}>
          {COLUMNS.map((c) => (
            <SortHeader key={c.field} column={c} />
          ))}
        </div>
        <div className={classes.body} style={{ height: virtualizer.getTotalSize(), minWidth: MIN_WIDTH }} role="rowgroup">
          {virtualRows.map((v) => {
            const style = { ...gridStyle, transform: `translateY(${v.start - HEADER_HEIGHT}px)` };
            const c = firstLoad ? undefined : items[v.index];
            if (!c) {
              if (failedMore) {
                return (
                  <div key="more-error" className={classes.footerError} style={{ transform: style.transform }}>
                    <Group gap="sm" justify="center">
                      <Text size="sm" c="red" data-testid="contacts-more-error">
                        {error}
                      </Text>
                      <Button size="xs" variant="light" color="red" leftSection={<IconRefresh size={14} />} onClick={() => void loadMore()}>
                        Try again
                      </Button>
                    </Group>
                  </div>
                );
              }
              return (
                <div key={`skeleton-${v.index}`} className={`${classes.grid} ${classes.row}`} style={style} aria-hidden="true" data-testid="contact-row-skeleton">
                  <SkeletonCells />
                </div>
              );
            }
            return (
              <div
                key={c.id}
                className={`${classes.grid} ${classes.row}`}
                style={style}
                role="row"
                aria-rowindex={v.index + 2}
                tabIndex={0}
                onClick={() => open(c.id)}
                onKeyDown={(e) => onRowKey(e, c.id)}
                data-testid="contact-row"
                data-contact-id={c.id}
              >
                <Cells c={c} />
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}
