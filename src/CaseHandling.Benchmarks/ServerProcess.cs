using System.Diagnostics;

namespace CaseHandling.Benchmarks;

/// <summary>
/// The real app as its own process on a loopback port (the build that sits beside this benchmark), so that
/// its memory is its own and the load generator does not share its heap.
/// </summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    public Uri Address { get; }
    private long _peakSampledKb;
    private readonly CancellationTokenSource _stop = new();

    private ServerProcess(Process process, Uri address, System.Collections.Concurrent.ConcurrentQueue<string>? errors = null)
    {
        _process = process;
        Address = address;
        if (errors is not null) _errors = errors;
    }

    public const string KekId = "bench";
    /// <summary>This run's key-encryption key: the bulk data written with COPY is sealed with data keys wrapped by it.</summary>
    public static readonly byte[] Kek = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32);

    /// <summary>This run's matching key, the same for every process of the run (a restart, a worker, a restore).</summary>
    public static readonly byte[] MatchingKey = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32);

    /// <summary>False: the server's error output is kept (<see cref="RecentErrors"/>) instead of echoed (the fault harness provokes a lot).</summary>
    public static bool EchoErrors { get; set; } = true;

    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _errors = new();

    /// <summary>The last lines the server wrote to its error output.</summary>
    public IReadOnlyList<string> RecentErrors => _errors.ToArray();

    public int Port => Address.Port;
    public int ProcessId => _process.Id;
    public bool HasExited => _process.HasExited;

    /// <summary>The process's resident memory now (VmRSS), in MB.</summary>
    public double RssMb => ReadKb("VmRSS") / 1024.0;

    /// <summary>kill -9: the process gets no chance to finish anything (SIGKILL on Unix).</summary>
    public async Task KillAsync()
    {
        await _stop.CancelAsync();
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    public static Task<ServerProcess> StartAsync(string connectionString, IEnumerable<string> extraArgs) =>
        StartAsync(connectionString, extraArgs, port: null);

    public static async Task<ServerProcess> StartAsync(string connectionString, IEnumerable<string> extraArgs, int? port, TimeSpan? patience = null)
    {
        var wait = patience ?? TimeSpan.FromSeconds(90);
        port ??= FreePort();
        var address = new Uri($"http://127.0.0.1:{port}");
        var dir = AppContext.BaseDirectory;
        var info = new ProcessStartInfo(Path.Combine(dir, OperatingSystem.IsWindows() ? "CaseHandling.Server.exe" : "CaseHandling.Server"))
        {
            WorkingDirectory = dir,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[]
                 {
                     "--urls", address.ToString(), "--contentRoot", dir,
                     $"--ConnectionStrings:CaseHandling={connectionString}",
                     "--Logging:LogLevel:Default=Warning", "--Jobs:Mode=Api",
                     "--ReporterRateLimits:SubmissionsPerMinute=100000000", "--ReporterRateLimits:CodeAttemptsPerMinute=100000000",
                     "--ReporterRateLimits:SubmissionsPerAddressPerMinute=100000000", "--ReporterRateLimits:CodeAttemptsPerAddressPerMinute=100000000",
                 }.Concat(extraArgs))
            info.ArgumentList.Add(a);
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        // The key-encryption key of this run, in the environment rather than on the command line.
        info.Environment["Encryption__ActiveKeyId"] = KekId;
        info.Environment["Encryption__Keys__" + KekId] = Convert.ToBase64String(Kek);
        info.Environment["Matching__ActiveKeyId"] = "bench-match";
        info.Environment["Matching__Keys__bench-match"] = Convert.ToBase64String(MatchingKey);
        var process = Process.Start(info) ?? throw new InvalidOperationException("could not start the server");
        var started = new TaskCompletionSource();
        var errors = new System.Collections.Concurrent.ConcurrentQueue<string>();
        process.OutputDataReceived += (_, e) => { if (e.Data?.Contains("CaseHandling is running at") == true) started.TrySetResult(); };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            if (EchoErrors) Console.Error.WriteLine("server: " + e.Data);
            errors.Enqueue(e.Data);
            while (errors.Count > 200) errors.TryDequeue(out string? _);
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var exited = process.WaitForExitAsync();
        if (await Task.WhenAny(started.Task, exited, Task.Delay(wait)) != started.Task)
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            throw new TimeoutException($"the server did not start within {wait.TotalSeconds:F0} s: " + string.Join(" | ", errors.TakeLast(10)));
        }
        var server = new ServerProcess(process, address, errors);
        _ = server.SampleMemory();
        return server;
    }

    /// <summary>The process's peak resident memory (VmHWM, the kernel's high-water mark), in MB.</summary>
    public double PeakMemoryMb => Math.Max(ReadKb("VmHWM"), _peakSampledKb) / 1024.0;

    private async Task SampleMemory()
    {
        while (!_stop.IsCancellationRequested && !_process.HasExited)
        {
            _peakSampledKb = Math.Max(_peakSampledKb, ReadKb("VmRSS"));
            try { await Task.Delay(200, _stop.Token); } catch (OperationCanceledException) { }
        }
    }

    private long ReadKb(string field)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{_process.Id}/status"))
                if (line.StartsWith(field + ":", StringComparison.Ordinal))
                    return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]);
        }
        catch (IOException) { }
        return 0;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        _process.Dispose();
    }

    public static int FreePort()
    {
        var l = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        l.Start();
        var port = ((System.Net.IPEndPoint)l.LocalEndpoint).Port;
        l.Stop();
        return port;
    }
}
