// Preloaded into the app by bench:http --profile: SIGUSR2 exits normally, so --cpu-prof writes its file.
process.on('SIGUSR2', () => process.exit(0));
