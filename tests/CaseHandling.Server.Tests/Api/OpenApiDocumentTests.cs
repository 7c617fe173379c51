using System.Text.Json;
using System.Text.Json.Nodes;
using CaseHandling.Server.Tests.Infrastructure;

namespace CaseHandling.Server.Tests.Api;

/// <summary>
/// The contract as the running app serves it, compared with the committed copy (docs/openapi/v1.json), so that every
/// change to the contract shows in review; the generated client is built from that copy. Regenerate with UPDATE_DOCS=1.
/// </summary>
public sealed class OpenApiDocumentTests
{
    public static string CommittedPath => RepoFiles.PathOf("docs", "openapi", "v1.json");

    /// <summary>The document from the running app, indented as committed.</summary>
    public static async Task<string> Live()
    {
        var host = await TestHost.Get();
        var text = await host.CreateClient().GetStringAsync("/openapi/v1.json");
        return JsonNode.Parse(text)!.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) + "\n";
    }

    [Test]
    public async Task Document_MatchesCommittedCopy()
    {
        var live = await Live();
        if (Environment.GetEnvironmentVariable("UPDATE_DOCS") == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(CommittedPath)!);
            await File.WriteAllTextAsync(CommittedPath, live);
        }
        var committed = File.Exists(CommittedPath) ? await File.ReadAllTextAsync(CommittedPath) : "";
        Assert.That(committed, Is.EqualTo(live),
            "docs/openapi/v1.json differs from the document the app serves: regenerate it (UPDATE_DOCS=1 deploy/test.sh --filter OpenApiDocument) and review the change");
    }
}
