using System.Diagnostics;
using System.Text.Json;
using CaseHandling.Server.Tests.Infrastructure;

namespace CaseHandling.Server.Tests.Api;

/// <summary>
/// A standard linter over the document the running app serves: Redocly CLI (pinned in tools/openapi-lint, installed
/// by deploy/test.sh) with its recommended rules; the rules switched off say why in tools/openapi-lint/redocly.yaml.
/// </summary>
public sealed class OpenApiLintTests
{
    [Test]
    public async Task Document_RedoclyRecommendedRules_NoErrorsNoWarnings()
    {
        var dir = RepoFiles.PathOf("tools", "openapi-lint");
        var cli = Path.Combine(dir, "node_modules", "@redocly", "cli", "bin", "cli.js");
        Assert.That(File.Exists(cli), Is.True, "Redocly CLI is not installed: deploy/test.sh installs it (or: cd tools/openapi-lint && npm ci)");
        // The path the ignore file (.redocly.lint-ignore.yaml) names.
        var document = RepoFiles.PathOf("artifacts", "openapi", "v1.json");
        Directory.CreateDirectory(Path.GetDirectoryName(document)!);
        await File.WriteAllTextAsync(document, await OpenApiDocumentTests.Live());

        var start = new ProcessStartInfo("node", ["--no-deprecation", cli, "lint", Path.GetRelativePath(dir, document), "--config", "redocly.yaml", "--format", "json"])
        {
            WorkingDirectory = dir, RedirectStandardOutput = true, RedirectStandardError = true,
            Environment = { ["REDOCLY_TELEMETRY"] = "off", ["REDOCLY_SUPPRESS_UPDATE_NOTICE"] = "true", ["NO_COLOR"] = "1" },
        };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        var report = JsonDocument.Parse(await output).RootElement;
        var problems = report.GetProperty("problems").EnumerateArray()
            .Select(p => $"{p.GetProperty("severity").GetString()} {p.GetProperty("ruleId").GetString()}: {p.GetProperty("message").GetString()} " +
                         string.Join(",", p.GetProperty("location").EnumerateArray().Select(l => l.GetProperty("pointer").GetString())))
            .ToList();
        var totals = report.GetProperty("totals");
        TestContext.Out.WriteLine($"Redocly: {totals}");
        Assert.That(problems, Is.Empty, string.Join("\n", problems));
        Assert.That(totals.GetProperty("errors").GetInt32(), Is.Zero);
        Assert.That(process.ExitCode, Is.Zero, await errors);
    }
}
