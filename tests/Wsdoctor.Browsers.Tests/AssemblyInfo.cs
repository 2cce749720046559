// Every test starts real browsers; one at a time, so a loaded 2-core machine gives each bounded wait its margin.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
