// Each test starts a server and real client processes (Chromium among them); run one at a time so a loaded
// 2-core machine gives every bounded wait its full margin.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
