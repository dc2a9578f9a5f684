// Where focus goes when the screen changes: to the new screen's heading, so a screen reader announces it and the
// keyboard carries on from there instead of from the top of the page (focus would otherwise fall to <body>).

/** Focuses the first heading of the first `screens` that is shown. */
export function focusHeading(...screens) {
  for (const screen of screens) {
    const heading = screen?.querySelector('h1');
    if (heading && heading.getClientRects().length > 0) {
      heading.tabIndex = -1;
      heading.focus({ preventScroll: true });
      return heading;
    }
  }
  return null;
}

/**
 * The skip link (index.html) jumps to the screen's content. A plain fragment link would change the address, which
 * the app's router would take for a navigation; this focuses the current screen's heading instead.
 */
export function handleSkipLink(findContent) {
  const link = document.querySelector('.skip-link');
  link?.addEventListener('click', (event) => {
    event.preventDefault();
    focusHeading(...findContent());
  });
}
