import { needsOnboarding, useWorkspaceStore } from "../../stores/workspace";
import { DashboardPage } from "../dashboard/DashboardPage";
import { Onboarding } from "./Onboarding";

/** First launch on an empty workspace greets with onboarding; afterwards, the dashboard. */
export function HomePage() {
  const showOnboarding = useWorkspaceStore(needsOnboarding);
  return showOnboarding ? <Onboarding /> : <DashboardPage />;
}
