namespace CaseHandling.Benchmarks.Faults;

/// <summary>
/// `faults [crash] [dboutage] [mail] [worker] [steps] [retries] [window] [fairness] [soak] [backup] [fuzz] [--requests 100000] [--seed S] [--soak-minutes 20] [--kills 20] [--clients 32] [--chart docs/soak-memory.png]`:
/// each scenario against the real app as its own process and PostgreSQL on this machine, loopback only; one line of
/// figures each; exit code 1 when a promise was broken (docs/RELIABILITY.md).
/// </summary>
public static class FaultCommand
{
    public static readonly string[] All = ["crash", "dboutage", "mail", "worker", "steps", "retries", "window", "fairness", "soak", "backup", "fuzz"];

    public static async Task<int> RunAsync(string admin, string[] args, TextWriter output)
    {
        int Arg(string name, int fallback)
        {
            var i = Array.IndexOf(args, name);
            return i >= 0 && i + 1 < args.Length && int.TryParse(args[i + 1], out var v) ? v : fallback;
        }
        var chosen = args.Where(a => All.Contains(a)).ToList();
        if (chosen.Count == 0) chosen = [.. All];
        var chart = args.SkipWhile(a => a != "--chart").Skip(1).FirstOrDefault() ?? "docs/soak-memory.png";
        ServerProcess.EchoErrors = false;
        var failed = 0;
        foreach (var scenario in chosen)
        {
            FaultResult result;
            var started = DateTime.UtcNow;
            try
            {
                result = scenario switch
                {
                    "crash" => await CrashDuringIntake.RunAsync(admin, Arg("--clients", 32), Arg("--kills", 20), output),
                    "dboutage" => await DatabaseOutage.RunAsync(Arg("--clients", 16), TimeSpan.FromSeconds(Arg("--outage-seconds", 15)), output),
                    "mail" => await MailOutage.RunAsync(admin, Arg("--reports", 200), TimeSpan.FromSeconds(Arg("--outage-seconds", 15)), output),
                    "worker" => await WorkerCrash.RunAsync(admin, Arg("--duties", 5000), output),
                    "steps" => await Contention.StepsAsync(admin, Arg("--cases", 200), output),
                    "retries" => await Contention.RetriesAsync(admin, Arg("--clients", 32), Arg("--kills", 10), output),
                    "window" => await Contention.AnswerWindowAsync(admin, rounds: 5, output),
                    "fairness" => await Contention.FairnessAsync(admin, Arg("--reporters", 20), TimeSpan.FromSeconds(Arg("--fair-seconds", 60)), output),
                    "soak" => (await Soak.RunAsync(admin, TimeSpan.FromMinutes(Arg("--soak-minutes", 20)), output, chart)).Result,
                    "backup" => await BackupRestore.RunAsync(admin, Arg("--reports", 200), Arg("--cases", 50), output),
                    "fuzz" => await Fuzz.RunAsync(admin, Arg("--requests", 100_000), args.SkipWhile(a => a != "--seed").Skip(1).FirstOrDefault(), output),
                    _ => throw new InvalidOperationException(scenario),
                };
            }
            catch (Exception e)
            {
                result = new FaultResult(scenario, "did not complete", [$"{e.GetType().Name}: {e.Message} {e.InnerException?.GetType().Name}: {e.InnerException?.Message}"]);
            }
            output.WriteLine($"{result} ({(DateTime.UtcNow - started).TotalSeconds:F0} s)");
            if (!result.Passed) failed++;
        }
        output.WriteLine(failed == 0 ? $"all {chosen.Count} scenario(s) kept their promises" : $"{failed} of {chosen.Count} scenario(s) broke a promise");
        return failed == 0 ? 0 : 1;
    }
}
