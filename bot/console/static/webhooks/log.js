// The delivery log follows deliveries not tried yet: the table is fetched again every two
// seconds (a minute at most) and swapped in, so a test event's result shows by itself.

const EVERY_MS = 2000;
const AT_MOST = 30;
let tries = 0;

async function refresh() {
  const waiting = document.querySelector("#deliveries tr[data-status=pending]");
  if (!waiting || tries++ >= AT_MOST) return;
  try {
    const response = await fetch(location.href, { headers: { Accept: "text/html" } });
    if (response.ok) {
      const page = new DOMParser().parseFromString(await response.text(), "text/html");
      const fresh = page.getElementById("deliveries");
      if (fresh) document.getElementById("deliveries").replaceWith(fresh);
    }
  } catch {
    // Offline for a moment: the next try may work.
  }
  setTimeout(refresh, EVERY_MS);
}

setTimeout(refresh, EVERY_MS);
