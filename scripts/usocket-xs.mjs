#!/usr/bin/env node
// `npx usocket-xs <command> …`: flash (scripts/flash.mjs) and doctor (scripts/doctor.mjs).
const [command, ...rest] = process.argv.slice(2);
const commands = { flash: "./flash.mjs", doctor: "./doctor.mjs" };
if (!commands[command]) {
  console.error(`usage: usocket-xs flash <app> --target … | usocket-xs doctor [--target …]${command && command !== "--help" ? `\nunknown command: ${command}` : ""}`);
  process.exitCode = command === "--help" ? 0 : 2;
} else {
  const { main } = await import(commands[command]);
  process.exitCode = await main(rest);
}
