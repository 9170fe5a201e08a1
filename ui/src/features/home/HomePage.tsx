import { Center, Loader } from "@mantine/core";
import { needsOnboarding, useWorkspaceStore } from "../../stores/workspace";
import { DashboardPage } from "../dashboard/DashboardPage";
import { Onboarding } from "./Onboarding";

/** First launch on an empty workspace greets with onboarding; afterwards, the dashboard. */
export function HomePage() {
  const opened = useWorkspaceStore((s) => s.info !== null);
  const showOnboarding = useWorkspaceStore(needsOnboarding);
  if (!opened) {
    return (
      <Center h="70vh">
        <Loader type="dots" aria-label="Opening your workspace" />
      </Center>
    );
  }
  return showOnboarding ? <Onboarding /> : <DashboardPage />;
}
