// The app shell (index.html, modules, styles, icons, manifest) in the Cache API, so the Messenger opens without a
// connection and shows the history it keeps in IndexedDB. Online, every shell file still comes from the network (a
// new release shows at once, as the server's no-cache asks) and the cached copy is refreshed on the way; the cache
// answers only when the network cannot.
const CACHE = 'herald-shell';
const PAGE = '/app/'; // every app address (/app/chats/…, /app/settings) is this page
const SCOPE = '/app/';

/**
 * Caches the shell by following its references from index.html: `href`/`src` in the page, `import … from`
 * in modules, `url(…)` in styles, icons in the manifest. No list to keep in step with the files.
 */
export async function cacheShell() {
  const cache = await caches.open(CACHE);
  const seen = new Set();
  const visit = async (path, required) => {
    if (seen.has(path))
      return;
    seen.add(path);
    const response = await fetch(path, { cache: 'no-cache' }).catch(() => null);
    if (!response?.ok) {
      if (required)
        throw new Error(`Could not cache ${path}`);
      return;
    }
    await cache.put(path, response.clone());
    await Promise.all(references(path, await response.text()).map((next) => visit(next, false)));
  };
  await visit(PAGE, true);
}

function references(path, text) {
  const base = new URL(path, location.origin);
  const found = [];
  const patterns = [
    /\b(?:href|src)="([^"]+)"/g, // index.html
    /\b(?:import|export)\b[^'"`;]*?['"](\.{1,2}\/[^'"]+)['"]/g, // static and dynamic imports in modules
    /url\(\s*['"]?([^'")]+)['"]?\s*\)/g, // styles
    /"src"\s*:\s*"([^"]+)"/g, // icons in the manifest
  ];
  for (const pattern of patterns)
    for (const match of text.matchAll(pattern)) {
      const url = new URL(match[1], base);
      if (url.origin === location.origin && url.pathname.startsWith(SCOPE))
        found.push(url.pathname);
    }
  return found;
}

/** The answer for a request the shell covers (GETs under /app/ on this origin), or null to let it go to the network. */
export function answerFromShell(request) {
  const url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== location.origin || !url.pathname.startsWith(SCOPE))
    return null;
  return networkFirst(request, request.mode === 'navigate' ? PAGE : url.pathname);
}

async function networkFirst(request, key) {
  try {
    const response = await fetch(request);
    if (response.ok && response.type === 'basic') {
      const copy = response.clone();
      caches.open(CACHE).then((cache) => cache.put(key, copy)).catch(() => { /* storage full: the network still works */ });
    }
    return response;
  } catch (error) {
    const cached = await caches.match(key, { cacheName: CACHE });
    if (cached)
      return cached;
    throw error;
  }
}
