// The relay's page: the state in a role="status" element and two real buttons in a plain form
// (POST /relay, relay=on|off), so it works with scripts off. With scripts, the small script
// posts JSON with fetch() and updates the text in place, and re-reads GET /state whenever the
// page becomes visible again (another phone may have switched it).

const PAGE = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Relay</title>
<style>
body{font-family:system-ui,sans-serif;margin:2em auto;max-width:20em;padding:0 1em;text-align:center}
#state{font-size:1.5em;margin:1em 0}
button{font-size:1.5em;width:5em;padding:.5em;margin:.3em;border:2px solid #222;border-radius:.4em;background:#fff;color:#222}
button[aria-pressed=true]{background:#222;color:#fff}
</style>
</head>
<body>
<h1>Relay</h1>
<p id="state" role="status">Relay is %STATE%</p>
<form method="post" action="/relay">
<button name="relay" value="on" aria-pressed="%ON%">ON</button>
<button name="relay" value="off" aria-pressed="%OFF%">OFF</button>
</form>
<script>
(function () {
  var form = document.querySelector("form"), status = document.getElementById("state");
  function show(state) {
    status.textContent = "Relay is " + state.toUpperCase();
    var b = form.querySelectorAll("button");
    for (var i = 0; i < b.length; i++) b[i].setAttribute("aria-pressed", String(b[i].value === state));
  }
  function ask(path, options) {
    return fetch(path, options).then(function (r) {
      if (!r.ok) throw new Error(r.status + " " + r.statusText);
      return r.json();
    }).then(function (j) { show(j.relay); });
  }
  form.addEventListener("submit", function (e) {
    var value = e.submitter && e.submitter.value;
    if (!value) return; // an old browser: the plain form post
    e.preventDefault();
    ask("/relay", {
      method: "POST",
      headers: { "Content-Type": "application/json", "Accept": "application/json" },
      body: JSON.stringify({ relay: value })
    }).catch(function (err) { status.textContent = "Could not switch the relay (" + err.message + ")"; });
  });
  document.addEventListener("visibilitychange", function () {
    if (!document.hidden) ask("/state", { headers: { "Accept": "application/json" } }).catch(function () {});
  });
})();
</script>
</body>
</html>
`;

export function page(on: boolean): string {
  return PAGE.replace("%STATE%", on ? "ON" : "OFF").replace("%ON%", String(on)).replace("%OFF%", String(!on));
}
