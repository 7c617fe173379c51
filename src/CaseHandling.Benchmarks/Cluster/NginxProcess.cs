using System.Diagnostics;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;

namespace CaseHandling.Benchmarks.Cluster;

/// <summary>
/// Debian's nginx as deploy/cluster.sh runs it: the same template (deploy/nginx/cluster.conf.template), TLS with a key
/// pair made for this run, in front of the given API instances; its own folder under the temp folder, loopback only,
/// in the foreground as this process's child, stopped on dispose.
/// </summary>
public sealed class NginxProcess : IAsyncDisposable
{
    public const string Binary = "/usr/sbin/nginx";
    private readonly Process _process;
    private readonly string _dir;

    private NginxProcess(Process process, string dir, int port, X509Certificate2 certificate)
    {
        _process = process;
        _dir = dir;
        Port = port;
        Certificate = certificate;
    }

    public int Port { get; }
    public Uri Address => new($"https://127.0.0.1:{Port}");
    /// <summary>This run's self-signed certificate: the only one a client of <see cref="Client"/> accepts.</summary>
    public X509Certificate2 Certificate { get; }

    public static bool IsInstalled => File.Exists(Binary);

    /// <summary>The repository's folder, found upwards from the build output (the template is read from it, not copied).</summary>
    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "deploy", "nginx", "cluster.conf.template"))) return dir.FullName;
        throw new InvalidOperationException("deploy/nginx/cluster.conf.template not found above " + AppContext.BaseDirectory);
    }

    public static async Task<NginxProcess> StartAsync(IReadOnlyList<int> apiPorts)
    {
        if (!IsInstalled) throw new InvalidOperationException("nginx is not installed (deploy/lib/nginx.sh: apt-get install nginx-light)");
        var dir = Path.Combine(Path.GetTempPath(), $"casehandling-cluster-{Guid.NewGuid():N}"[..40]);
        Directory.CreateDirectory(Path.Combine(dir, "tls"));
        Directory.CreateDirectory(Path.Combine(dir, "nginx-temp"));
        await Run("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-keyout", Path.Combine(dir, "tls", "key.pem"),
            "-out", Path.Combine(dir, "tls", "cert.pem"), "-subj", "/CN=casehandling-cluster-harness", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"]);
        var port = ServerProcess.FreePort();
        var template = await File.ReadAllTextAsync(Path.Combine(RepositoryRoot(), "deploy", "nginx", "cluster.conf.template"));
        var servers = string.Concat(apiPorts.Select(p => $"server 127.0.0.1:{p} max_fails=1 fail_timeout=10s; "));
        var conf = Path.Combine(dir, "nginx.conf");
        await File.WriteAllTextAsync(conf, template.Replace("@RUN_DIR@", dir).Replace("@LISTEN@", $"127.0.0.1:{port}").Replace("@API_SERVERS@", servers));

        var info = new ProcessStartInfo(Binary) { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in new[] { "-p", dir, "-c", conf, "-e", Path.Combine(dir, "nginx-error.log"), "-g", "daemon off;" }) info.ArgumentList.Add(a);
        var process = Process.Start(info) ?? throw new InvalidOperationException("could not start nginx");
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        var certificate = X509Certificate2.CreateFromPem(await File.ReadAllTextAsync(Path.Combine(dir, "tls", "cert.pem")));
        var nginx = new NginxProcess(process, dir, port, certificate);
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (true)
        {
            if (process.HasExited)
                throw new InvalidOperationException("nginx stopped at once: " + await ErrorLog(dir));
            try
            {
                using var tcp = new TcpClient();
                await tcp.ConnectAsync("127.0.0.1", port);
                return nginx;
            }
            catch (SocketException) when (DateTime.UtcNow < until)
            {
                await Task.Delay(100);
            }
        }
    }

    private static async Task<string> ErrorLog(string dir)
    {
        var path = Path.Combine(dir, "nginx-error.log");
        return File.Exists(path) ? await File.ReadAllTextAsync(path) : "(no error log)";
    }

    /// <summary>A client of the proxy that trusts this run's certificate and no other.</summary>
    public HttpClient Client(int connections = 256)
    {
        var expected = Certificate.GetCertHashString();
        return new HttpClient(new SocketsHttpHandler
        {
            MaxConnectionsPerServer = connections,
            PooledConnectionLifetime = TimeSpan.FromSeconds(30),
            ConnectTimeout = TimeSpan.FromSeconds(5),
            SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate?.GetCertHashString() == expected,
            },
        }) { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(60) };
    }

    /// <summary>nginx's access log (deploy/nginx/cluster.conf.template): one line per request, with the instances it tried.</summary>
    public IReadOnlyList<string> AccessLog()
    {
        var path = Path.Combine(_dir, "nginx-access.log");
        if (!File.Exists(path)) return [];
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    /// <summary>The last lines of nginx's error log (why it answered 502, say).</summary>
    public IReadOnlyList<string> ErrorLogTail(int lines)
    {
        var path = Path.Combine(_dir, "nginx-error.log");
        if (!File.Exists(path)) return [];
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries).TakeLast(lines).ToList();
    }

    private static async Task Run(string file, string[] args)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in args) info.ArgumentList.Add(a);
        using var p = Process.Start(info) ?? throw new InvalidOperationException($"could not start {file}");
        var stderr = p.StandardError.ReadToEndAsync();
        var stdout = p.StandardOutput.ReadToEndAsync();
        await p.WaitForExitAsync();
        if (p.ExitCode != 0) throw new InvalidOperationException($"{file} failed ({p.ExitCode}): {await stderr} {await stdout}");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            // QUIT: nginx finishes what it has; after 10 s it is killed.
            try { Process.Start("kill", ["-QUIT", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])?.WaitForExit(5000); }
            catch (System.ComponentModel.Win32Exception) { }
            using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try { await _process.WaitForExitAsync(patience.Token); }
            catch (OperationCanceledException) { _process.Kill(entireProcessTree: true); await _process.WaitForExitAsync(); }
        }
        _process.Dispose();
        Certificate.Dispose();
        try { Directory.Delete(_dir, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
