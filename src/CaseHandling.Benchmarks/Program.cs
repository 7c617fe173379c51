namespace CaseHandling.Benchmarks;

/// <summary>
/// dotnet run -c Release --project src/CaseHandling.Benchmarks -- sweep [--duties 1000000] [--due 10000]
/// dotnet run -c Release --project src/CaseHandling.Benchmarks -- load [--levels 1,8,32,64] [--seconds 15] [--cases 1000000]
///     [--intake-only] [--pin APPCPUS:DBCPUS, e.g. 0:1] [--figures-only (the national database and the monitoring figures alone)]
/// dotnet run -c Release --project src/CaseHandling.Benchmarks -- faults [crash dboutage mail worker steps retries window fairness soak backup fuzz] [--soak-minutes 20]
/// dotnet run -c Release --project src/CaseHandling.Benchmarks -- cluster [signin] [settings] [workers] [intake] [kill] [--duties 2000] [--clients 16] [--seconds 15] [--kill-seconds 30]
/// Connects with CASEHANDLING_DB (a role with CREATEDB; deploy/lib/postgres.sh provisions one) and makes its own database.
/// </summary>
internal static class BenchmarkCommand
{
    private static async Task<int> Main(string[] args)
    {
        var admin = Environment.GetEnvironmentVariable("CASEHANDLING_DB")
                    ?? "Host=127.0.0.1;Port=5432;Username=casehandling;Password=casehandling;Database=casehandling";
        int Arg(string name, int fallback)
        {
            var i = Array.IndexOf(args, name);
            return i >= 0 && i + 1 < args.Length && int.TryParse(args[i + 1], out var v) ? v : fallback;
        }

        switch (args.FirstOrDefault())
        {
            case "sweep":
                Console.WriteLine($"CaseHandling sweep benchmark on {Environment.ProcessorCount} cores, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
                await SweepBenchmark.RunAsync(admin, Arg("--duties", 1_000_000), Arg("--due", 10_000), Console.Out);
                return 0;
            case "load":
                Console.WriteLine($"CaseHandling load benchmark on {Environment.ProcessorCount} cores, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
                var levels = (args.SkipWhile(a => a != "--levels").Skip(1).FirstOrDefault() ?? "1,8,32,64").Split(',').Select(int.Parse).ToArray();
                var pin = args.SkipWhile(a => a != "--pin").Skip(1).FirstOrDefault()?.Split(':');
                await LoadBenchmark.RunAsync(admin, levels, TimeSpan.FromSeconds(Arg("--seconds", 15)), Arg("--cases", 1_000_000),
                    Arg("--samples", 500), Console.Out, args.Contains("--intake-only") || args.Contains("--figures-only") ? null
                        : args.SkipWhile(a => a != "--chart").Skip(1).FirstOrDefault() ?? "docs/performance-intake.png",
                    intakeOnly: args.Contains("--intake-only"), pin: pin is [var app, var db] ? (app, db) : null,
                    figuresOnly: args.Contains("--figures-only"));
                return 0;
            case TrivialEndpoint.Command:
                // The load benchmark's reference endpoint, as its own process (LoadBenchmark.Reference).
                return await TrivialEndpoint.ServeAsync(int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture));
            case "faults":
                Console.WriteLine($"CaseHandling fault harness on {Environment.ProcessorCount} cores, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
                return await Faults.FaultCommand.RunAsync(admin, args.Skip(1).ToArray(), Console.Out);
            case "cluster":
                Console.WriteLine($"CaseHandling cluster harness (nginx, two API instances, two workers) on {Environment.ProcessorCount} cores, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
                if (!Cluster.NginxProcess.IsInstalled)
                {
                    await Console.Error.WriteLineAsync("nginx is not installed: as root, apt-get install -y --no-install-recommends nginx-light (deploy/lib/nginx.sh)");
                    return 2;
                }
                ServerProcess.EchoErrors = false;
                var cluster = await Cluster.ClusterScenario.RunAsync(admin, new Cluster.ClusterOptions(Arg("--duties", 2000), Arg("--clients", 16),
                    Arg("--seconds", 15), Arg("--kill-seconds", 30),
                    Only: args.Where(a => Cluster.ClusterOptions.Parts.Contains(a)).ToList()), Console.Out);
                Console.WriteLine(cluster);
                return cluster.Passed ? 0 : 1;
            default:
                await Console.Error.WriteLineAsync("usage: CaseHandling.Benchmarks sweep [--duties N] [--due N]\n" +
                    "       CaseHandling.Benchmarks faults [crash] [dboutage] [mail] [worker] [steps] [retries] [window] [fairness] [soak] [backup] [fuzz] [--soak-minutes 20] [--kills 20] [--clients 32]\n" +
                    "       CaseHandling.Benchmarks cluster [signin] [settings] [workers] [intake] [kill] [--duties 2000] [--clients 16] [--seconds 15] [--kill-seconds 30]\n" +
                    "       CaseHandling.Benchmarks load [--levels 1,8,32,64] [--seconds 15] [--cases 1000000] [--samples 500] [--chart docs/performance-intake.png]\n" +
                    "           [--intake-only] [--pin 0:1 (the intake again with the app on cpu 0 and PostgreSQL on cpu 1)] [--figures-only]");
                return 2;
        }
    }
}
