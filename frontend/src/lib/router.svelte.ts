import { match } from './match';

export { match };
// A small history router: the server answers every app path with index.html.
export const route = $state({ path: '/', search: '' });

function sync() {
  route.path = window.location.pathname;
  route.search = window.location.search;
}

// A screen with unsaved work may hold the person back before they leave it.
let guard: (() => boolean) | null = null;

/** While set, leaving the screen in the app asks `allow` first; returns the unsetter. */
export function guardLeaving(allow: () => boolean): () => void {
  guard = allow;
  return () => {
    if (guard === allow) guard = null;
  };
}

export function navigate(to: string, options: { replace?: boolean } = {}) {
  if (!options.replace && guard && !guard()) return;
  if (options.replace) history.replaceState({}, '', to);
  else history.pushState({}, '', to);
  sync();
  window.scrollTo(0, 0);
}

export function startRouter() {
  sync();
  window.addEventListener('popstate', sync);
  document.addEventListener('click', (event) => {
    const anchor = (event.target as Element | null)?.closest?.('a');
    if (!anchor || anchor.target || anchor.hasAttribute('download')) return;
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey || event.button !== 0) return;
    const href = anchor.getAttribute('href');
    if (!href || !href.startsWith('/') || href.startsWith('//') || href.startsWith('/api/') || href.startsWith('/docs')) return;
    event.preventDefault();
    navigate(href);
  });
}
