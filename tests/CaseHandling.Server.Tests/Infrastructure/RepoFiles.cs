namespace CaseHandling.Server.Tests.Infrastructure;

/// <summary>Files of the repository the tests run from (docs to check or regenerate, sources to scan).</summary>
public static class RepoFiles
{
    public static string Root
    {
        get
        {
            var root = new DirectoryInfo(TestContext.CurrentContext.TestDirectory);
            while (root is not null && !File.Exists(Path.Combine(root.FullName, "CaseHandling.sln"))) root = root.Parent;
            return root?.FullName ?? throw new InvalidOperationException("CaseHandling.sln not found above the test directory");
        }
    }

    public static string PathOf(params string[] parts) => Path.Combine([Root, .. parts]);
}
