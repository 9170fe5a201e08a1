import { IconUser } from "@tabler/icons-react";
import { initials } from "../../lib/format";
import classes from "./PhonePreview.module.css";

/**
 * A text message as a phone shows it: the sender at the top and the
 * personalised body in a bubble. Plain text only (React escapes it), so
 * nothing in a message can reach the app.
 */
export function PhonePreview({ body, sender }: { body: string; sender: string }) {
  return (
    <div className={classes.phone} role="img" aria-label={`Text message from ${sender}`} data-testid="phone-preview">
      <div className={classes.header}>
        <div className={classes.avatar} aria-hidden>
          {/* A number has no initials; a phone shows a person. */}
          {/^[+\d]/.test(sender) ? <IconUser size={22} /> : initials(sender || "?")}
        </div>
        <div className={classes.sender} data-testid="phone-preview-sender">
          {sender}
        </div>
      </div>
      <div className={classes.thread}>
        <div className={classes.stamp}>Text Message · Today</div>
        <div className={`${classes.bubble} ${body ? "" : classes.empty}`} data-testid="phone-preview-body">
          {body || "Nothing to show yet."}
        </div>
      </div>
    </div>
  );
}
