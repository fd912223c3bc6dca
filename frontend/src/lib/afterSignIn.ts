// Where to continue after signing in: a page the person opened while signed
// out (an invite's /join link, say) survives the trip through their email.
const KEY = 'changemakers.after_sign_in';

export function rememberDestination(path: string) {
  if (path.startsWith('/') && !path.startsWith('//') && path !== '/' && !path.startsWith('/auth/')) {
    localStorage.setItem(KEY, path);
  }
}

export function takeDestination(): string | null {
  const path = localStorage.getItem(KEY);
  localStorage.removeItem(KEY);
  return path && path.startsWith('/') && !path.startsWith('//') ? path : null;
}
