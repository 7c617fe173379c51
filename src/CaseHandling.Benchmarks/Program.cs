namespace CaseHandling.Benchmarks;

/// <summary>
/// dotnet run -c Release --project src/CaseHandling.Benchmarks -- sweep [--duties 1000000] [--due 10000]
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
            default:
                await Console.Error.WriteLineAsync("usage: CaseHandling.Benchmarks sweep [--duties N] [--due N]");
                return 2;
        }
    }
}
