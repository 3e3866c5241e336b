// The simulator lane's skips, all in one place: full test name ("suite › test") or a suite name
// (skips everything in it) → why it cannot pass on the Moddable simulator. run.mjs sends this to
// the app, which reports each one as skipped with its reason; nothing is skipped silently.
export const SKIPS = {
};
