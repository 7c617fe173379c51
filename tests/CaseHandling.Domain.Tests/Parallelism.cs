// The domain tests are pure (no I/O, no shared mutable state): their fixtures run in parallel.
[assembly: Parallelizable(ParallelScope.Fixtures)]
