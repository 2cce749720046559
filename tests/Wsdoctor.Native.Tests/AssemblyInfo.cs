// The lab takes fixed ports from its lists: one run at a time (the project goes to test.sh's first lane).
[assembly: CollectionBehavior(DisableTestParallelization = true)]
