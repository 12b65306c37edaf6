/* riskedu service worker, generated for the locales {{ pack.locales | join(", ") }} (pack {{ pack.version }}).
   It precaches the whole pack of those locales; a new pack installs in the background and only replaces
   the old one once every file of it is stored (until then the old one keeps serving). */
importScripts({{ workbox_loader | tojson }});
workbox.setConfig({ modulePathPrefix: {{ workbox_prefix | tojson }}, debug: false });
importScripts({% for script in scripts %}{{ script | tojson }}{% if not loop.last %}, {% endif %}{% endfor %});

const PACK_VERSION = {{ pack.version | tojson }};
const OFFLINE_PAGES = {{ offline_pages | tojson }};
const FALLBACK_LOCALE = {{ pack.locales[0] | tojson }};

workbox.core.setCacheNameDetails({ prefix: "riskedu" });
workbox.precaching.cleanupOutdatedCaches();
workbox.precaching.precacheAndRoute({{ pack.precache_manifest() | tojson }}, {
  ignoreURLParametersMatching: [/.*/],
  directoryIndex: null,
  cleanURLs: false,
});

// Everything not in the pack goes to the network; a page that cannot load offline gets the offline page.
workbox.routing.setDefaultHandler(new workbox.strategies.NetworkOnly());
workbox.routing.setCatchHandler(async ({ request, url }) => {
  if (request.mode === "navigate") {
    const locale = url.pathname.split("/")[1];
    const page = OFFLINE_PAGES[locale] || OFFLINE_PAGES[FALLBACK_LOCALE];
    const cached = await workbox.precaching.matchPrecache(page);
    if (cached) return cached;
  }
  return Response.error();
});

self.addEventListener("message", (event) => {
  if (event.data && event.data.type === "SKIP_WAITING") self.skipWaiting();
  if (event.data && event.data.type === "PACK_VERSION" && event.ports[0]) event.ports[0].postMessage(PACK_VERSION);
});

// Background Sync: the browser wakes us when a connection returns, even with no page open.
self.addEventListener("sync", (event) => {
  if (event.tag !== "riskedu-outbox") return;
  // Rejecting tells the browser to try again later, with its own backoff.
  event.waitUntil(self.riskeduOutbox.send("background-sync").then((outcome) => {
    if (!outcome.ok) throw new Error("outbox not sent yet");
  }));
});
