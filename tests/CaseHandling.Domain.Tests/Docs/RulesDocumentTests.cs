using CaseHandling.Domain.Docs;

namespace CaseHandling.Domain.Tests.Docs;

public sealed class RulesDocumentTests
{
    [Test]
    public void RulesDocument_CommittedFile_MatchesTables()
    {
        var root = new DirectoryInfo(TestContext.CurrentContext.TestDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "CaseHandling.sln"))) root = root.Parent;
        Assert.That(root, Is.Not.Null, "repository root not found");
        var path = Path.Combine(root!.FullName, "docs", "RULES.md");
        var expected = RulesDocument.Render(new DateOnly(2024, 1, 1));
        if (Environment.GetEnvironmentVariable("UPDATE_DOCS") == "1") File.WriteAllText(path, expected);
        Assert.That(File.Exists(path), "docs/RULES.md is missing");
        Assert.That(File.ReadAllText(path), Is.EqualTo(expected), "docs/RULES.md is out of date: regenerate it (see its header)");
    }
}
