// The article's page (docs "network basics": the pin table), shared by the servers that serve
// many clients at once. On a board the values are machine.Pin(i).value(); the desktop has no
// pins, so this table is STATIC. examples/pin-table.ts builds its rows inline, as the article does.
export const pins: [name: string, value: number][] = [
  ["Pin(0)", 1], ["Pin(2)", 0], ["Pin(4)", 1], ["Pin(5)", 0],
  ["Pin(12)", 0], ["Pin(13)", 1], ["Pin(14)", 0], ["Pin(15)", 0],
];

export const html = `<!DOCTYPE html>
<html>
    <head> <title>ESP8266 Pins</title> </head>
    <body> <h1>ESP8266 Pins</h1>
        <table border="1"> <tr><th>Pin</th><th>Value</th></tr> %s </table>
    </body>
</html>
`;

export const HEADER = "HTTP/1.0 200 OK\r\nContent-type: text/html\r\n\r\n";

/** The page as the article builds it: rows = ['<tr><td>%s</td><td>%d</td></tr>' % …]. */
export function page(): string {
  const rows = pins.map(([name, value]) => `<tr><td>${name}</td><td>${value}</td></tr>`);
  return html.replace("%s", rows.join("\n"));
}
