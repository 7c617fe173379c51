namespace CaseHandling.Domain.Reports;

/// <summary>Who reports to the meld-/steunpunt.</summary>
public enum ReporterKind { Student, StaffMember, Other }

/// <summary>Who the victim is, as far as the reporter wants to say.</summary>
public enum VictimWho { Reporter, SomeoneElse, NotSaid }

public enum VictimAgeAnswer { Minor, Adult, Unknown }

/// <summary>Where the report goes: the independent meldpunt only (support and advice), or the institution too (with consent).</summary>
public enum Destination { MeldpuntOnly, InstitutionToo }

/// <summary>Where a report stands, in the words the reporter reads.</summary>
public enum ReportStatus { Received, InProgress, Forwarded, Closed }

public enum MessageAuthor { Reporter, Handler }

/// <summary>How a report came in (EU directive 2019/1937 art. 9 lid 2): in writing online, or orally by phone or in a meeting.</summary>
public enum ReportChannel { Online, Phone, Meeting }

/// <summary>
/// The languages a reporter can use on the meldpunt's pages (docs/LANGUAGES.md). The report keeps which one, so that the
/// handler may answer in it; the system translates nothing.
/// </summary>
public static class ReporterLanguage
{
    public const string Dutch = "nl";
    public const string English = "en";
    public const string Arabic = "ar";
    public const string Turkish = "tr";
    public const string Polish = "pl";
    public const string Ukrainian = "uk";

    public static readonly IReadOnlyList<string> All = [Dutch, English, Arabic, Turkish, Polish, Ukrainian];

    public static string? Parse(string? value) => value?.Trim().ToLowerInvariant() is { } v && All.Contains(v) ? v : null;
}

/// <summary>What a handler's message is: the acknowledgement and the feedback are service levels (EU directive 2019/1937 art. 9).</summary>
public enum HandlerMessageKind { Acknowledgement, Message, Feedback }

/// <summary>What the reporter allows to be forwarded to the institution's board.</summary>
[Flags]
public enum ForwardItems
{
    None = 0,
    Description = 1,
    ContactDetails = 2,
    Messages = 4,
}
