namespace CaseHandling.Server.Features.Shared;

/// <summary>How long what people write may be: the same for a report, a message either way, and a case's facts.</summary>
public static class TextLimits
{
    public const int Message = 20_000;
}
