// The real proxies bind free loopback ports picked just before they start; one test at a time keeps two of them
// from picking the same port.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
