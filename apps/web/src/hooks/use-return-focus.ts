import { useEffect, useState } from 'react';

/** A dialog or drawer surface. */
const SURFACE = '[role="dialog"], [role="alertdialog"]';

const focused = () => (document.activeElement instanceof HTMLElement ? document.activeElement : null);

/**
 * Gives focus back to what opened a drawer or dialog when it closes (Esc, Close, Ok, a click
 * outside), as a keyboard user expects. Fluent's Dialog does it only for a `DialogTrigger`; a
 * drawer opened from a table row or a dialog opened by a button's state needs it here. What had
 * focus when `open` became true (or when a dialog rendered only while open mounted) is the opener;
 * it gets focus back when `open` becomes false or the dialog unmounts, if it is still on the page.
 */
export function useReturnFocus(open = true): void {
  const [wasOpen, setWasOpen] = useState(open);
  const [opener, setOpener] = useState<HTMLElement | null>(() => (open ? focused() : null));
  if (open !== wasOpen) {
    // Read while rendering the change, before the drawer or dialog mounts and takes focus.
    setWasOpen(open);
    if (open) setOpener(focused());
  }
  useEffect(() => {
    if (!open || !opener) return undefined;
    return () => {
      // The closing surface lets focus go as it animates out and unmounts: to the page body, or to
      // an outer dialog's surface. Until it has gone, focus found there (or still in the closing
      // surface) goes back to the opener; focus the person or a newly opened dialog moved elsewhere stays.
      const home = opener.closest(SURFACE);
      const closing = document.activeElement?.closest(SURFACE) ?? null;
      const giveBack = () => {
        const now = document.activeElement;
        if (!opener.isConnected || now === opener) return;
        const adrift =
          !now ||
          now === document.body ||
          now === home ||
          (closing !== null && closing !== home && closing.contains(now));
        if (adrift) opener.focus();
      };
      for (const ms of [0, 150, 400, 800]) window.setTimeout(giveBack, ms);
    };
  }, [open, opener]);
}
