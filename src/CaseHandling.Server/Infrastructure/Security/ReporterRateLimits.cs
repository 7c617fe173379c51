using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;

namespace CaseHandling.Server.Infrastructure.Security;

/// <summary>
/// Rate limits for the anonymous side that do not need to identify the reporter: one shared token bucket
/// per kind of request, not per IP address (which we do not read). A flood therefore slows everyone down
/// rather than being traced to someone; with 125-bit codes the code limit is a brake on abuse, not the
/// thing that makes guessing infeasible. Limits are settings (ReporterRateLimits:*PerMinute).
/// </summary>
public sealed class ReporterRateLimits
{
    public const string Section = "ReporterRateLimits";
    public const string Submit = "reporter-submit";
    public const string Code = "reporter-code";

    public int SubmissionsPerMinute { get; set; } = 6000;
    public int CodeAttemptsPerMinute { get; set; } = 3000;

    public static void Configure(RateLimiterOptions o, ReporterRateLimits limits)
    {
        o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
        o.AddPolicy(Submit, _ => Bucket("submit", limits.SubmissionsPerMinute));
        o.AddPolicy(Code, _ => Bucket("code", limits.CodeAttemptsPerMinute));
        o.OnRejected = async (ctx, ct) =>
        {
            ctx.HttpContext.Response.StatusCode = StatusCodes.Status429TooManyRequests;
            ctx.HttpContext.Response.Headers.RetryAfter = "60";
            await TypedResults.Problem("Too many requests right now; please try again in a minute.", statusCode: 429,
                title: "Too many requests", type: "urn:casehandling:error:rate_limited").ExecuteAsync(ctx.HttpContext);
        };
    }

    // The partition key is a constant: every request of a kind shares one bucket.
    private static RateLimitPartition<string> Bucket(string key, int perMinute) =>
        RateLimitPartition.GetTokenBucketLimiter(key, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = Math.Max(1, perMinute),
            TokensPerPeriod = Math.Max(1, perMinute / 60),
            ReplenishmentPeriod = TimeSpan.FromSeconds(1),
            QueueLimit = 0,
            AutoReplenishment = true,
        });
}
