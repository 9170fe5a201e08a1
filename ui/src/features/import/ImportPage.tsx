import { Button, Card, Stepper } from "@mantine/core";
import { IconArrowLeft, IconArrowRight, IconUsers } from "@tabler/icons-react";
import { useEffect } from "react";
import { useNavigate } from "react-router";
import { Page } from "../../components/Page";
import { PageHeader } from "../../components/PageHeader";
import { formatCount } from "../../lib/format";
import { useContactsStore } from "../../stores/contacts";
import { mappingProblems, mapsEmailOrPhone, useImportStore, type ImportStep } from "../../stores/import";
import { useWorkspaceStore } from "../../stores/workspace";
import { FileStep } from "./FileStep";
import { MappingStep } from "./MappingStep";
import classes from "./ImportPage.module.css";
import { DoneStep, ImportingStep, ReviewStep } from "./ResultSteps";

const STEP_INDEX: Record<ImportStep, number> = {
  choose: 0,
  uploading: 0,
  mapping: 1,
  checking: 1,
  reviewed: 2,
  importing: 3,
  done: 4,
};

export function ImportPage() {
  const navigate = useNavigate();
  const step = useImportStore((s) => s.step);
  const mappings = useImportStore((s) => s.mappings);
  const dryRun = useImportStore((s) => s.dryRun);
  const { check, run, cancel, backToMapping } = useImportStore.getState();
  const active = STEP_INDEX[step];

  // Leaving the page mid-way discards the upload; a finished import starts afresh next time.
  useEffect(
    () => () => {
      if (useImportStore.getState().step !== "importing") void useImportStore.getState().cancel();
    },
    [],
  );

  // A finished import changed the workspace.
  useEffect(() => {
    if (step === "done") {
      useContactsStore.getState().invalidate();
      void useWorkspaceStore.getState().refresh();
    }
  }, [step]);

  function leave() {
    void cancel();
    const hasContacts = (useWorkspaceStore.getState().info?.contacts ?? 0) > 0;
    navigate(hasContacts ? "/contacts" : "/");
  }

  const toImport = dryRun ? dryRun.imported + dryRun.updated : 0;
  const canCheck = mapsEmailOrPhone(mappings) && mappingProblems(mappings).size === 0;

  let actions = null;
  if (step === "mapping" || step === "checking") {
    actions = (
      <>
        <Button variant="default" onClick={leave} disabled={step === "checking"} data-testid="import-cancel">
          Cancel
        </Button>
        <Button onClick={() => void check()} loading={step === "checking"} disabled={!canCheck} rightSection={<IconArrowRight size={16} />} data-testid="import-next">
          Check the rows
        </Button>
      </>
    );
  } else if (step === "reviewed") {
    actions = (
      <>
        <Button variant="subtle" color="gray" leftSection={<IconArrowLeft size={16} />} onClick={backToMapping} data-testid="import-back">
          Back to columns
        </Button>
        <Button variant="default" onClick={leave} data-testid="import-cancel">
          Cancel
        </Button>
        <Button onClick={() => void run()} disabled={toImport === 0} data-testid="import-run">
          {toImport === 0 ? "Nothing to import" : `Import ${formatCount(toImport)} ${toImport === 1 ? "contact" : "contacts"}`}
        </Button>
      </>
    );
  } else if (step === "done") {
    actions = (
      <>
        <Button variant="default" onClick={() => void cancel()} data-testid="import-another">
          Import another file
        </Button>
        <Button leftSection={<IconUsers size={16} />} onClick={() => navigate("/contacts")} data-testid="import-view-contacts">
          View contacts
        </Button>
      </>
    );
  } else if (step === "choose" || step === "uploading") {
    actions = (
      <Button variant="default" onClick={leave} data-testid="import-cancel">
        Cancel
      </Button>
    );
  }

  return (
    <Page>
      <PageHeader title="Import contacts" description="Bring contacts in from a CSV file. Rows are checked before anything is saved." />
      <Card padding="lg" mb="lg">
        <Stepper active={active} size="sm" allowNextStepsSelect={false} data-testid="import-stepper">
          <Stepper.Step label="File" description="Choose a CSV" />
          <Stepper.Step label="Columns" description="Match the fields" />
          <Stepper.Step label="Check" description="Review problems" />
          <Stepper.Step label="Import" description="Save contacts" />
          <Stepper.Completed>{null}</Stepper.Completed>
        </Stepper>
      </Card>
      {active === 0 && <FileStep />}
      {active === 1 && <MappingStep />}
      {active === 2 && <ReviewStep />}
      {active === 3 && (
        <Card padding="xl">
          <ImportingStep />
        </Card>
      )}
      {active === 4 && (
        <Card padding="xl">
          <DoneStep />
        </Card>
      )}
      {actions && <div className={classes.actions}>{actions}</div>}
    </Page>
  );
}
