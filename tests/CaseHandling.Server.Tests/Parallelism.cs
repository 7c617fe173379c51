// Fixtures run in parallel; the tests within a fixture one after another. A fixture that must run alone says
// so with [NonParallelizable] and why (a timed limit, a process of its own). Tests keep out of each other's
// way by making their own institutions and accounts on a shared host, or by taking a host of their own
// when they change something host-wide (a clock, settings, the key store).
//
// The work is mostly waiting on PostgreSQL, HTTP and Hangfire's polling, so a few more workers than the
// machine's two cores keeps them busy.
[assembly: Parallelizable(ParallelScope.Fixtures)]
[assembly: LevelOfParallelism(3)]
