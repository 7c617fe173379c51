// Fixtures run in parallel; the tests within a fixture one after another. A fixture that must run alone says
// so with [NonParallelizable] and why (a timed limit, a process of its own). Tests keep out of each other's
// way by making their own institutions and accounts on a shared host, or by taking a host of their own
// when they change something host-wide (a clock, settings, the key store).
//
// Four workers on two cores: besides CPU (the app in process, PostgreSQL, Chromium) the tests wait on I/O and
// Hangfire's polling. Measured with the whole suite on two cores: 2 workers about as slow as one, 3 and 4
// about a fifth faster, 4 a little ahead.
[assembly: Parallelizable(ParallelScope.Fixtures)]
[assembly: LevelOfParallelism(4)]
