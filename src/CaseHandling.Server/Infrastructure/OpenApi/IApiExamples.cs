using System.Text.Json.Nodes;

namespace CaseHandling.Server.Infrastructure.OpenApi;

/// <summary>Example bodies for the document, by request type: the use cases know them (Features/ApiExamples.cs), the document shows them.</summary>
public interface IApiExamples
{
    JsonNode? For(Type type);
}
