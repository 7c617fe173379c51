using System.Text.Json.Serialization;

namespace CaseHandling.ApiClient;

/// <summary>
/// The one line a consumer adds to NSwag's generated client: enum values are strings on the wire (the document says so),
/// and NSwag puts a string converter on single enum fields but not on lists of them (e.g. a case's <c>allowedNext</c>).
/// </summary>
public partial class CaseHandlingClient
{
    static partial void UpdateJsonSerializerSettings(System.Text.Json.JsonSerializerOptions settings) =>
        settings.Converters.Add(new JsonStringEnumConverter());
}

