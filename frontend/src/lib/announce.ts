// After a screen change: the tab's title names the screen, focus moves to
// its main heading, and the change is announced, as a full page load would.
const APP = 'changemakers';

export function settleScreen(moveFocus: boolean, announcer: HTMLElement | null) {
  let frames = 0;
  const step = () => {
    const main = document.getElementById('main');
    const heading = main?.querySelector('h1');
    const text = heading?.textContent?.trim();
    const busy = main?.querySelector('[aria-busy="true"]');
    if (heading && text && !busy) {
      document.title = text === APP ? APP : `${text} · ${APP}`;
      if (moveFocus) {
        heading.setAttribute('tabindex', '-1');
        heading.focus({ preventScroll: false });
        if (announcer) announcer.textContent = text;
      }
      return;
    }
    // Screens fetch what they show; give them a few seconds.
    if (frames++ < 300) requestAnimationFrame(step);
  };
  requestAnimationFrame(step);
}
