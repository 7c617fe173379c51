using System.Net;
using System.Net.Http.Json;
using CaseHandling.Domain.Cases;
using CaseHandling.Domain.Reports;
using CaseHandling.Server.Features.Reports;
using CaseHandling.Server.Infrastructure.Security;
using CaseHandling.Server.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace CaseHandling.Server.Tests.Features;

/// <summary>
/// Fair rate limiting without identifying anyone (issue 13, item 7): one address flooding the submission and code
/// endpoints does not stop another address from reporting and following up. Real sockets: the clients connect from
/// 127.0.0.1 and 127.0.0.2 (both loopback) to the app on Kestrel.
/// </summary>
[NonParallelizable] // token buckets refill every second: the floods count on their requests coming in quickly
public sealed class FairRateLimitTests
{
    private const int PerAddress = 5;

    /// <summary>A client whose connections leave from <paramref name="source"/> (the fault harness's own).</summary>
    private static HttpClient From(TestHost host, string source) => CaseHandling.Benchmarks.Faults.Contention.From(host.KestrelAddress!, source);

    private static Task<TestHost> Host(string name, Dictionary<string, string?>? extra = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["ReporterRateLimits:SubmissionsPerAddressPerMinute"] = PerAddress.ToString(),
            ["ReporterRateLimits:CodeAttemptsPerAddressPerMinute"] = PerAddress.ToString(),
            // The ceiling over everyone stays far above what the test sends: only the per-address buckets can refuse.
            ["ReporterRateLimits:SubmissionsPerMinute"] = "100000",
            ["ReporterRateLimits:CodeAttemptsPerMinute"] = "100000",
        };
        foreach (var (k, v) in extra ?? []) settings[k] = v;
        return TestHost.Get(name, settings, kestrel: true);
    }

    private static SubmitReport Report(Guid institution) => new(ReporterKind.Student, true, null, null, null, IncidentType.Bullying,
        "Wat er gebeurde", "vorige week", institution, null, AccusedRole.FellowStudent, VictimWho.Reporter, VictimAgeAnswer.Adult,
        Destination.MeldpuntOnly);

    [Test]
    public async Task OneAddressFloods_AnotherStillReportsAndChecksItsCode_NoTooManyRequests()
    {
        var host = await Host("fair-limits");
        var w = await World.Create(host);
        using var flooder = From(host, "127.0.0.1");
        using var other = From(host, "127.0.0.2");

        var floodSubmits = new List<HttpStatusCode>();
        var floodCodes = new List<HttpStatusCode>();
        var otherAnswers = new List<HttpStatusCode>();
        for (var round = 0; round < 3; round++)
        {
            for (var i = 0; i < 10; i++)
            {
                floodSubmits.Add((await flooder.Post("/api/reports", new { })).StatusCode);
                floodCodes.Add((await flooder.Post("/api/reports/status", new { receiptCode = "ZZZZZ-ZZZZZ-ZZZZZ-ZZZZZ-ZZZZZ" })).StatusCode);
            }
            // In between the flood, the other address files a report and follows it up with its code.
            var filed = await other.Post("/api/reports", Report(w.InstitutionId));
            otherAnswers.Add(filed.StatusCode);
            var receipt = await filed.Read<ReportReceipt>(HttpStatusCode.Created);
            otherAnswers.Add((await other.Post("/api/reports/status", new { receiptCode = receipt.ReceiptCode })).StatusCode);
        }

        Assert.Multiple(() =>
        {
            // The flooder's own buckets ran dry (a token may come back each second on a slow machine: at most a few more).
            Assert.That(floodSubmits.Count(s => s == HttpStatusCode.TooManyRequests), Is.GreaterThanOrEqualTo(30 - PerAddress - 6));
            Assert.That(floodCodes.Count(s => s == HttpStatusCode.TooManyRequests), Is.GreaterThanOrEqualTo(30 - PerAddress - 6));
            Assert.That(otherAnswers, Is.EqualTo(new[] { HttpStatusCode.Created, HttpStatusCode.OK, HttpStatusCode.Created, HttpStatusCode.OK, HttpStatusCode.Created, HttpStatusCode.OK }));
            // Neither address, nor anything derived from it, reaches the logs.
            Assert.That(host.Logs.Lines.Where(l => l.Contains("127.0.0.2")), Is.Empty);
        });
    }

    [Test]
    public async Task ForwardedFor_FromAnUntrustedClient_IsIgnored_SoItCannotPickAFreshBucket()
    {
        var host = await Host("fair-limits");
        using var flooder = From(host, "127.0.0.3");
        var answers = new List<HttpStatusCode>();
        for (var i = 0; i < 15; i++)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "/api/reports/status")
                { Content = JsonContent.Create(new { receiptCode = "ZZZZZ-ZZZZZ-ZZZZZ-ZZZZZ-ZZZZZ" }) };
            request.Headers.Add("X-Forwarded-For", $"10.9.0.{i + 1}");
            answers.Add((await flooder.SendAsync(request)).StatusCode);
        }
        Assert.That(answers.Count(s => s == HttpStatusCode.TooManyRequests), Is.GreaterThanOrEqualTo(15 - PerAddress - 3));
    }

    /// <summary>A proxy named by its address, or by its network (in Kubernetes the ingress controller's pods have no fixed address).</summary>
    [TestCase("127.0.0.1")]
    [TestCase("127.0.0.0/8")]
    public async Task ForwardedFor_FromATrustedProxy_IsTheClientsAddress(string trusted)
    {
        var host = await Host(trusted.Contains('/') ? "fair-limits-proxy-net" : "fair-limits-proxy", new() { ["ReverseProxy:TrustedProxies:0"] = trusted });
        using var proxy = From(host, "127.0.0.1");

        async Task<HttpStatusCode> Attempt(string client)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "/api/reports/status")
                { Content = JsonContent.Create(new { receiptCode = "ZZZZZ-ZZZZZ-ZZZZZ-ZZZZZ-ZZZZZ" }) };
            request.Headers.Add("X-Forwarded-For", client);
            return (await proxy.SendAsync(request)).StatusCode;
        }

        var flood = new List<HttpStatusCode>();
        for (var i = 0; i < 15; i++) flood.Add(await Attempt("192.0.2.10"));
        var second = await Attempt("192.0.2.20");
        Assert.Multiple(() =>
        {
            Assert.That(flood.Count(s => s == HttpStatusCode.TooManyRequests), Is.GreaterThanOrEqualTo(15 - PerAddress - 3));
            Assert.That(second, Is.EqualTo(HttpStatusCode.NotFound), "a second client behind the same proxy has its own bucket");
        });
    }

    [Test]
    public void BucketKey_IsKeyedInMemory_AndChangesEveryDay()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 30, 23, 0, 0, TimeSpan.Zero));
        var buckets = new AddressBuckets(clock);
        var a = IPAddress.Parse("192.0.2.10");
        var today = buckets.KeyOf(a);
        Assert.Multiple(() =>
        {
            Assert.That(buckets.KeyOf(IPAddress.Parse("192.0.2.10")), Is.EqualTo(today), "one bucket per address within a day");
            Assert.That(buckets.KeyOf(IPAddress.Parse("192.0.2.11")), Is.Not.EqualTo(today));
            Assert.That(buckets.KeyOf(a.MapToIPv6()), Is.EqualTo(today), "an IPv4 address seen as IPv6 is the same client");
            Assert.That(new AddressBuckets(clock).KeyOf(a), Is.Not.EqualTo(today), "the key is random per process, not derived from the address alone");
            Assert.That(today, Does.Not.Contain("192"));
        });
        clock.Advance(TimeSpan.FromHours(2));
        Assert.That(buckets.KeyOf(a), Is.Not.EqualTo(today), "a new key at the start of the day");
    }

    /// <summary>A bucket refills at the configured rate per minute, not one token a second whatever the rate.</summary>
    [TestCase(30)]
    [TestCase(60)]
    [TestCase(7)]
    [TestCase(45)]
    [TestCase(3000)]
    [TestCase(6000)]
    public void Bucket_RefillsAtItsRatePerMinute(int perMinute)
    {
        var o = ReporterRateLimits.Refill(perMinute);
        Assert.That(o.TokensPerPeriod * 60.0 / o.ReplenishmentPeriod.TotalSeconds, Is.EqualTo(perMinute));
        Assert.That(o.TokenLimit, Is.EqualTo(perMinute));
        Assert.That(o.ReplenishmentPeriod, Is.GreaterThanOrEqualTo(TimeSpan.FromSeconds(1)));
    }
}
