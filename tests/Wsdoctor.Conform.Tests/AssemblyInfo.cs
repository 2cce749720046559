// The integration tests run wsdoctor against real peers on a 2-core machine; one at a time keeps the timing cases honest.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
