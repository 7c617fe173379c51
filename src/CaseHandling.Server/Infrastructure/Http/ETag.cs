using CaseHandling.Domain.Common;

namespace CaseHandling.Server.Infrastructure.Http;

/// <summary>If-Match / ETag carry a case's version for optimistic concurrency.</summary>
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
