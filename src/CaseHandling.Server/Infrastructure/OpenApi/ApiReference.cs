namespace CaseHandling.Server.Infrastructure.OpenApi;

/// <summary>Where the API reference page (Scalar) lives; its script needs a policy of its own (SecurityHeaders).</summary>
public static class ApiReference
{
    public const string Path = "/scalar";
}
