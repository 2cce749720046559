// Chromium, serve, exporters and probes as child processes: one test at a time on the 2-core CI machine.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
