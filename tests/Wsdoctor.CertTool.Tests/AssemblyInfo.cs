// Each test starts real servers and clients (nginx, Node, Python, Chromium); one at a time, so a loaded 2-core
// machine gives every bounded wait its full margin.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
