using System.Net;
using System.Security.Cryptography;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;

namespace CaseHandling.Server.Infrastructure.Security;

/// <summary>
/// Rate limits for the anonymous side, fair without identifying anyone. Two limits hold for every submission and
/// every receipt-code attempt:
/// <list type="bullet">
/// <item>a bucket per connection address, keyed by <see cref="AddressBuckets"/>: an HMAC of the address under a key that
/// lives only in this process's memory and changes every day. One flooder empties only its own bucket, so another
/// reporter can still file and follow up; the address itself is never kept, logged or stored, nor is its hash;</item>
/// <item>a ceiling over everyone together (one shared bucket per kind), which caps what many addresses can do at once.</item>
/// </list>
/// Reporters at one school behind one address share its bucket, so the per-address limits are generous. With 125-bit
/// codes the code limit is a brake on abuse, not the thing that makes guessing infeasible. Limits are settings
/// (ReporterRateLimits:*PerMinute); behind a reverse proxy the address comes from X-Forwarded-For only when that proxy
/// is trusted (<see cref="TrustedProxies"/>).
/// </summary>
public sealed class ReporterRateLimits
{
    public const string Section = "ReporterRateLimits";
    public const string Submit = "reporter-submit";
    public const string Code = "reporter-code";

    /// <summary>The ceiling over every address together.</summary>
    public int SubmissionsPerMinute { get; set; } = 6000;
    public int CodeAttemptsPerMinute { get; set; } = 3000;
    /// <summary>What one connection address may do.</summary>
    public int SubmissionsPerAddressPerMinute { get; set; } = 30;
    public int CodeAttemptsPerAddressPerMinute { get; set; } = 60;

    public static void Configure(RateLimiterOptions o, ReporterRateLimits limits)
    {
        o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
        // The ceilings: the partition key is a constant, every request of a kind shares one bucket.
        o.AddPolicy(Submit, _ => Bucket("submit", limits.SubmissionsPerMinute));
        o.AddPolicy(Code, _ => Bucket("code", limits.CodeAttemptsPerMinute));
        // The per-address buckets run first (the global limiter is asked before an endpoint's policy), so a flooder who
        // is refused here takes nothing from the shared ceiling.
        o.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(ctx =>
        {
            var policy = ctx.GetEndpoint()?.Metadata.GetMetadata<EnableRateLimitingAttribute>()?.PolicyName;
            var perMinute = policy switch
            {
                Submit => limits.SubmissionsPerAddressPerMinute,
                Code => limits.CodeAttemptsPerAddressPerMinute,
                _ => 0,
            };
            if (perMinute == 0) return RateLimitPartition.GetNoLimiter("");
            var address = ctx.RequestServices.GetRequiredService<AddressBuckets>().KeyOf(ctx.Connection.RemoteIpAddress);
            return Bucket(policy + ":" + address, perMinute);
        });
        o.OnRejected = async (ctx, ct) =>
        {
            ctx.HttpContext.Response.StatusCode = StatusCodes.Status429TooManyRequests;
            ctx.HttpContext.Response.Headers.RetryAfter = "60";
            await TypedResults.Problem("Too many requests right now; please try again in a minute.", statusCode: 429,
                title: "Too many requests", type: "urn:casehandling:error:rate_limited").ExecuteAsync(ctx.HttpContext);
        };
    }

    private static RateLimitPartition<string> Bucket(string key, int perMinute) =>
        RateLimitPartition.GetTokenBucketLimiter(key, _ => Refill(perMinute));

    /// <summary>
    /// A full bucket of <paramref name="perMinute"/>, refilled at exactly that rate: g tokens every 60/g seconds, with g
    /// the greatest common divisor of the rate and 60. (One token a second whatever the rate, as before, gave 30 a minute
    /// 60: the fault harness's flooder got twice its share.) The period stays a whole number of seconds, which the
    /// limiter's replenishment timer can keep.
    /// </summary>
    public static TokenBucketRateLimiterOptions Refill(int perMinute)
    {
        perMinute = Math.Max(1, perMinute);
        var g = (int)System.Numerics.BigInteger.GreatestCommonDivisor(perMinute, 60);
        return new TokenBucketRateLimiterOptions
        {
            TokenLimit = perMinute,
            TokensPerPeriod = perMinute / g,
            ReplenishmentPeriod = TimeSpan.FromSeconds(60 / g),
            QueueLimit = 0,
            AutoReplenishment = true,
        };
    }
}

/// <summary>
/// The key of a connection address's rate-limit bucket: HMAC-SHA256 of the address under a random key that exists only
/// in this process's memory and is replaced at the start of every UTC day. Yesterday's keys cannot be linked to today's,
/// and nothing outside the rate limiter's memory ever holds one (no log, no row, no header).
/// </summary>
public sealed class AddressBuckets(TimeProvider time)
{
    private readonly Lock _lock = new();
    private DateOnly _day;
    private byte[] _key = [];

    public string KeyOf(IPAddress? address)
    {
        // No address (an in-process test server, a Unix socket): one bucket for all of them.
        if (address is null) return "none";
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        byte[] key;
        lock (_lock)
        {
            var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
            if (today != _day || _key.Length == 0)
            {
                _key = RandomNumberGenerator.GetBytes(32);
                _day = today;
            }
            key = _key;
        }
        return Convert.ToBase64String(HMACSHA256.HashData(key, address.GetAddressBytes()), 0, 16);
    }
}

/// <summary>
/// Who may say which address a request came from: the addresses of the reverse proxies in front of the app
/// (ReverseProxy:TrustedProxies: addresses, or networks such as 10.42.0.0/16). Only a request from one of them has its X-Forwarded-For read; without the setting the
/// header is never read (not even from loopback, which ASP.NET Core would trust by default), so a client cannot choose
/// its own rate-limit bucket.
/// </summary>
public static class TrustedProxies
{
    public const string Setting = "ReverseProxy:TrustedProxies";

    public static IApplicationBuilder UseTrustedForwardedHeaders(this IApplicationBuilder app, IConfiguration config)
    {
        var trusted = config.GetSection(Setting).Get<string[]>() ?? [];
        if (trusted.Length == 0) return app;
        var options = new ForwardedHeadersOptions { ForwardedHeaders = Microsoft.AspNetCore.HttpOverrides.ForwardedHeaders.XForwardedFor, ForwardLimit = 1 };
        options.KnownIPNetworks.Clear();
        options.KnownProxies.Clear();
        // An address, or a network in CIDR notation (in Kubernetes the ingress controller's pods have no fixed address).
        foreach (var address in trusted)
            if (address.Contains('/')) options.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(address));
            else options.KnownProxies.Add(IPAddress.Parse(address));
        return app.UseForwardedHeaders(options);
    }
}
