import classes from "./PreviewFrame.module.css";

/**
 * The rendered message in a sandboxed frame: `sandbox=""` gives it no scripts,
 * no forms, no same-origin access, so nothing in an email can reach the app's IPC.
 */
export function PreviewFrame({ html, mobile, title }: { html: string; mobile: boolean; title: string }) {
  return (
    <div className={classes.stage}>
      <iframe
        title={title}
        sandbox=""
        srcDoc={html}
        className={`${classes.frame} ${mobile ? classes.mobile : ""}`}
        referrerPolicy="no-referrer"
        data-testid="preview-frame"
      />
    </div>
  );
}
