import { Badge, Box, Group, Loader, SimpleGrid, Stack, Text, ThemeIcon, Title, UnstyledButton } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { IconArrowRight, IconFileSpreadsheet, IconPlus, IconSparkles } from "@tabler/icons-react";
import type { ReactNode } from "react";
import { useNavigate } from "react-router";
import { ErrorState } from "../../components/ErrorState";
import { LogoMark } from "../../components/Logo";
import { plural } from "../../lib/format";
import { useContactsStore } from "../../stores/contacts";
import { DEMO_CONTACTS, useWorkspaceStore } from "../../stores/workspace";
import classes from "./Onboarding.module.css";

function Choice(props: {
  icon: ReactNode;
  color: string;
  title: string;
  text: string;
  cta: ReactNode;
  badge?: string;
  disabled?: boolean;
  onClick: () => void;
  testId: string;
}) {
  return (
    <UnstyledButton
      className={`${classes.choice} ${props.badge ? classes.recommended : ""}`}
      onClick={props.onClick}
      disabled={props.disabled}
      data-testid={props.testId}
    >
      <Group justify="space-between" w="100%">
        <ThemeIcon size={44} radius="md" variant="light" color={props.color}>
          {props.icon}
        </ThemeIcon>
        {props.badge && <Badge variant="light">{props.badge}</Badge>}
      </Group>
      <Text fw={650} size="lg" mt={4}>
        {props.title}
      </Text>
      <Text size="sm" c="dimmed" lh={1.55}>
        {props.text}
      </Text>
      <div className={classes.cta}>{props.cta}</div>
    </UnstyledButton>
  );
}

export function Onboarding() {
  const navigate = useNavigate();
  const demo = useWorkspaceStore((s) => s.demo);
  const loadDemo = useWorkspaceStore((s) => s.loadDemo);
  const dismiss = useWorkspaceStore((s) => s.dismissOnboarding);
  const loadingDemo = demo.status === "loading";

  async function tryDemo() {
    const summary = await loadDemo();
    if (!summary) return;
    useContactsStore.getState().invalidate();
    notifications.show({
      color: "teal",
      title: "Demo data is ready",
      message: `${plural(summary.contacts, "contact")}, ${plural(summary.interactions, "interaction")} and ${plural(summary.projects, "project")} were added.`,
    });
    navigate("/contacts");
  }

  function startEmpty() {
    dismiss();
    navigate("/contacts");
  }

  return (
    <div className={classes.wrap}>
      <Stack gap="xl" maw={980} w="100%" data-testid="onboarding">
        <Stack gap="xs" align="center" ta="center">
          <LogoMark size={48} />
          <Title order={1} fz={30} mt="sm">
            Welcome to Herald
          </Title>
          <Text c="dimmed" size="lg" maw={640}>
            Your workspace is ready. Start by bringing in the people you talk to.
          </Text>
        </Stack>

        <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="lg">
          <Choice
            testId="onboarding-import"
            icon={<IconFileSpreadsheet size={24} stroke={1.6} />}
            color="indigo"
            badge="Recommended"
            title="Import a CSV"
            text="Bring your list from a spreadsheet, Mailchimp or a CRM. Herald matches the columns and checks every row before anything is saved."
            cta={
              <>
                Choose a file <IconArrowRight size={16} />
              </>
            }
            disabled={loadingDemo}
            onClick={() => navigate("/import")}
          />
          <Choice
            testId="onboarding-demo"
            icon={<IconSparkles size={24} stroke={1.6} />}
            color="grape"
            title="Try with demo data"
            text={`Explore Herald with ${DEMO_CONTACTS} made-up contacts, complete with tags, consent history, interactions and projects.`}
            cta={
              loadingDemo ? (
                <>
                  <Loader size={14} /> Creating {DEMO_CONTACTS} contacts…
                </>
              ) : (
                <>
                  Load demo data <IconArrowRight size={16} />
                </>
              )
            }
            disabled={loadingDemo}
            onClick={() => void tryDemo()}
          />
          <Choice
            testId="onboarding-empty"
            icon={<IconPlus size={24} stroke={1.6} />}
            color="teal"
            title="Start empty"
            text="Add contacts one at a time. You can import a file whenever you are ready."
            cta={
              <>
                Go to contacts <IconArrowRight size={16} />
              </>
            }
            disabled={loadingDemo}
            onClick={startEmpty}
          />
        </SimpleGrid>

        {demo.status === "error" && (
          <Box mx="auto" w="100%" maw={560}>
            <ErrorState
              title="The demo data could not be created"
              message={demo.error ?? ""}
              onRetry={() => void tryDemo()}
              testId="onboarding-error"
            />
          </Box>
        )}
      </Stack>
    </div>
  );
}
