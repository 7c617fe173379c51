namespace CaseHandling.Server.Pages;

public sealed class IndexModel : ReporterPage
{
    public void OnGet() { }
}
