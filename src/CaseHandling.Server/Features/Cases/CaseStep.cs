using CaseHandling.Domain.Cases;
using CaseHandling.Domain.Common;
using CaseHandling.Domain.Duties;
using CaseHandling.Domain.Workflow;
using CaseHandling.Server.Infrastructure.Errors;
using CaseHandling.Server.Infrastructure.Persistence;
using CaseHandling.Server.Infrastructure.Security;

namespace CaseHandling.Server.Features.Cases;

/// <summary>What a step answers: where the case now stands and what may come next. <see cref="Version"/> is also the ETag.</summary>
public sealed record CaseRef(Guid Id, string Number, CaseState State, Coverage Coverage, IReadOnlyList<CaseTrigger> AllowedNext, uint Version)
{
    public static CaseRef Of(Case c) => new(c.Id, c.Number, c.State, c.Coverage, c.AllowedNext, c.Version);
}

/// <summary>The shared shape of every step on an existing case: load as the caller may see it, apply, save.</summary>
public static class CaseStep
{
    public static async ValueTask<Result<CaseRef>> Run(
        CaseStore store, CurrentUser user, Guid caseId, uint? expectedVersion, Func<Case, Result> step, CancellationToken ct)
    {
        var loaded = await store.LoadForChange(caseId, user, expectedVersion, ct);
        if (!loaded.IsSuccess) return loaded.Error!;
        var applied = step(loaded.Value!);
        if (!applied.IsSuccess) return applied.Error!;
        var action = "change:" + loaded.Value!.Events.Last(e => e.Kind != "Reclassified").Kind;
        var saved = await store.SaveAudited(caseId, user, action, ct);
        return saved.IsSuccess ? CaseRef.Of(loaded.Value!) : saved.Error!;
    }

    /// <summary>200 with the case reference and its ETag.</summary>
    public static IResult ToHttp(Result<CaseRef> result, HttpResponse response) =>
        ErrorMapper.ToHttp(result, c =>
        {
            response.Headers.ETag = ETag.Format(c.Version);
            return TypedResults.Ok(c);
        });
}

/// <summary>If-Match / ETag carry the case version for optimistic concurrency.</summary>
public static class ETag
{
    public static string Format(uint version) => $"\"{version}\"";

    /// <summary>Null when absent; an error when present but not a version we issued.</summary>
    public static Result<uint?> Parse(string? ifMatch)
    {
        if (string.IsNullOrWhiteSpace(ifMatch) || ifMatch.Trim() == "*") return (uint?)null;
        var raw = ifMatch.Trim();
        if (raw.StartsWith("W/", StringComparison.Ordinal)) raw = raw[2..];
        return uint.TryParse(raw.Trim('"'), out var v)
            ? (uint?)v
            : ValidationFailed.Single("If-Match", "Must be an ETag returned by this API.");
    }
}
