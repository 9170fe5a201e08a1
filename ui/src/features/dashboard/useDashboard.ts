import { useCallback, useEffect, useState } from "react";
import { contactsList } from "../../api/contacts";
import { errorMessage } from "../../api/errors";
import { tagsList } from "../../api/tags";
import type { ContactListQuery } from "../../bindings/ContactListQuery";
import type { ContactRow } from "../../bindings/ContactRow";
import type { TagCount } from "../../bindings/TagCount";
import { useWorkspaceStore } from "../../stores/workspace";

export type DashboardData = {
  total: number;
  emailSubscribed: number;
  emailUnsubscribed: number;
  smsSubscribed: number;
  topTags: TagCount[];
  recent: ContactRow[];
};

const BASE: ContactListQuery = {
  search: null,
  tag: null,
  emailStatus: null,
  smsStatus: null,
  sort: "createdAt",
  direction: "desc",
  after: null,
  limit: 1,
};

/** Every number on the dashboard comes from a count the backend made. */
async function fetchDashboard(): Promise<DashboardData> {
  const [all, subscribed, unsubscribed, sms, tags] = await Promise.all([
    contactsList({ ...BASE, limit: 5 }),
    contactsList({ ...BASE, emailStatus: "subscribed" }),
    contactsList({ ...BASE, emailStatus: "unsubscribed" }),
    contactsList({ ...BASE, smsStatus: "subscribed" }),
    tagsList(),
  ]);
  return {
    total: all.total,
    emailSubscribed: subscribed.total,
    emailUnsubscribed: unsubscribed.total,
    smsSubscribed: sms.total,
    topTags: tags
      .filter((t) => t.contacts > 0)
      .sort((a, b) => b.contacts - a.contacts || a.name.localeCompare(b.name))
      .slice(0, 6),
    recent: all.items,
  };
}

export function useDashboard() {
  const [attempt, setAttempt] = useState(0);
  const [result, setResult] = useState<{ attempt: number; data: DashboardData | null; error: string | null } | null>(null);

  useEffect(() => {
    let live = true;
    fetchDashboard().then(
      (data) => live && setResult({ attempt, data, error: null }),
      (e: unknown) => live && setResult({ attempt, data: null, error: errorMessage(e) }),
    );
    void useWorkspaceStore.getState().refresh();
    return () => {
      live = false;
    };
  }, [attempt]);

  const current = result?.attempt === attempt ? result : null;
  const reload = useCallback(() => setAttempt((a) => a + 1), []);
  return { data: current?.data ?? null, error: current?.error ?? null, loading: current === null, reload };
}
