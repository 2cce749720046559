// Every test builds its own pair of namespaces and a link with faults; run them one at a time, as the loaded
// 2-core CI machine would otherwise turn the injected latency into scheduler latency.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
