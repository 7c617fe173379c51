using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace CaseHandling.Benchmarks.Faults;

/// <summary>
/// A small SMTP server on loopback that counts what it accepts, by Message-Id: the harness's mail sink. It can be
/// stopped and started again on the same port (a mail outage), and refuses, for good (550), any recipient that
/// <see cref="Refuse"/> names. Enough SMTP for MailKit: EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP, QUIT.
/// </summary>
public sealed class SmtpSink : IDisposable
{
    private TcpListener? _listener;
    private CancellationTokenSource _stop = new();
    private readonly ConcurrentBag<TcpClient> _open = [];
    private readonly ConcurrentDictionary<string, int> _byMessageId = new();
    private readonly ConcurrentQueue<(string MessageId, string To, string Subject)> _received = new();

    public int Port { get; }
    public Func<string, bool> Refuse { get; set; } = _ => false;

    private SmtpSink(int port) => Port = port;

    public static SmtpSink Start()
    {
        var sink = new SmtpSink(ServerProcess.FreePort());
        sink.Up();
        return sink;
    }

    /// <summary>Every message accepted, in order.</summary>
    public IReadOnlyList<(string MessageId, string To, string Subject)> Received => _received.ToArray();

    /// <summary>How many times each Message-Id was accepted.</summary>
    public IReadOnlyDictionary<string, int> ByMessageId => new Dictionary<string, int>(_byMessageId);

    public bool IsUp => _listener is not null;

    public void Up()
    {
        if (_listener is not null) return;
        _stop = new CancellationTokenSource();
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                _listener = new TcpListener(IPAddress.Loopback, Port);
                _listener.Start();
                break;
            }
            catch (SocketException) when (attempt < 50)
            {
                Thread.Sleep(100);
            }
        }
        _ = Accept(_listener, _stop.Token);
    }

    /// <summary>The outage: nothing listens, and the sessions that were open are cut.</summary>
    public void Down()
    {
        if (_listener is null) return;
        _stop.Cancel();
        _listener.Stop();
        _listener = null;
        while (_open.TryTake(out var c)) c.Dispose();
    }

    private async Task Accept(TcpListener listener, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            TcpClient client;
            try { client = await listener.AcceptTcpClientAsync(ct); }
            catch (Exception) { return; }
            _open.Add(client);
            _ = Session(client, ct);
        }
    }

    private async Task Session(TcpClient client, CancellationToken ct)
    {
        try
        {
            using (client)
            {
                var stream = client.GetStream();
                using var reader = new StreamReader(stream, Encoding.ASCII);
                await using var writer = new StreamWriter(stream, Encoding.ASCII) { NewLine = "\r\n", AutoFlush = true };
                await writer.WriteLineAsync("220 sink ESMTP");
                var to = "";
                while (!ct.IsCancellationRequested && await reader.ReadLineAsync(ct) is { } line)
                {
                    var verb = line.Length >= 4 ? line[..4].ToUpperInvariant() : line.ToUpperInvariant();
                    switch (verb)
                    {
                        case "EHLO":
                        case "HELO":
                            await writer.WriteLineAsync("250 sink");
                            break;
                        case "MAIL":
                            to = "";
                            await writer.WriteLineAsync("250 OK");
                            break;
                        case "RCPT":
                            var address = line[(line.IndexOf(':') + 1)..].Trim().Trim('<', '>');
                            if (Refuse(address)) await writer.WriteLineAsync("550 5.1.1 mailbox unavailable");
                            else
                            {
                                to = address;
                                await writer.WriteLineAsync("250 OK");
                            }
                            break;
                        case "DATA":
                            await writer.WriteLineAsync("354 end with .");
                            string? messageId = null, subject = null;
                            while (await reader.ReadLineAsync(ct) is { } data && data != ".")
                            {
                                if (messageId is null && data.StartsWith("Message-Id:", StringComparison.OrdinalIgnoreCase))
                                    messageId = data[11..].Trim().Trim('<', '>');
                                if (subject is null && data.StartsWith("Subject:", StringComparison.OrdinalIgnoreCase))
                                    subject = data[8..].Trim();
                            }
                            messageId ??= "(none)";
                            _byMessageId.AddOrUpdate(messageId, 1, (_, n) => n + 1);
                            _received.Enqueue((messageId, to, subject ?? ""));
                            await writer.WriteLineAsync("250 OK queued");
                            break;
                        case "QUIT":
                            await writer.WriteLineAsync("221 bye");
                            return;
                        default: // RSET, NOOP, anything else
                            await writer.WriteLineAsync("250 OK");
                            break;
                    }
                }
            }
        }
        catch (Exception)
        {
            // A cut session (the outage, or the client went away).
        }
    }

    public void Dispose() => Down();
}
