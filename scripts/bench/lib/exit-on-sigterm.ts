/**
 * Preloaded (node -r) into the services when the benchmark runs with --profile. Nest's shutdown hook
 * ends the process by re-sending SIGTERM to itself, a death by signal that never writes the
 * --cpu-prof profile; with this listener in place the signal does not kill, and the process ends
 * with process.exit() once Nest has closed, which writes it.
 */
process.on('SIGTERM', () => {
  setTimeout(() => process.exit(0), 2000);
});
