import { useEffect, useState } from 'react';

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
      // After the closing surface has let focus go: it may hand it to the page body, or an outer
      // dialog may take it to its own surface, as it unmounts; a moment later, unless the person
      // has moved on, it goes back to the opener.
      const giveBack = () => {
        const now = document.activeElement;
        const adrift = !now || now === document.body || now.getAttribute('role') === 'dialog';
        if (opener.isConnected && now !== opener && adrift) opener.focus();
      };
      window.setTimeout(giveBack, 0);
      window.setTimeout(giveBack, 100);
    };
  }, [open, opener]);
}
