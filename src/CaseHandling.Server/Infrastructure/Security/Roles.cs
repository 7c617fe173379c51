using CaseHandling.Domain.Cases;

namespace CaseHandling.Server.Infrastructure.Security;

/// <summary>Role names as stored in Identity, and the authorization policies built on them.</summary>
public static class Roles
{
    public const string Board = "Board";
    public const string Vertrouwensinspecteur = "Vertrouwensinspecteur";
    public const string MeldpuntHandler = "MeldpuntHandler";
    public const string Administrator = "Administrator";
    public const string StaffMember = "StaffMember";
    public const string Inspectie = "Inspectie";

    public static readonly string[] All = [Board, Vertrouwensinspecteur, MeldpuntHandler, Administrator, StaffMember, Inspectie];

    public static string NameOf(StaffRole role) => role switch
    {
        StaffRole.Board => Board,
        StaffRole.Vertrouwensinspecteur => Vertrouwensinspecteur,
        StaffRole.MeldpuntHandler => MeldpuntHandler,
        StaffRole.Administrator => Administrator,
        StaffRole.StaffMember => StaffMember,
        StaffRole.Inspectie => Inspectie,
    };

    public static StaffRole? Parse(string? name) =>
        Enum.TryParse<StaffRole>(name, ignoreCase: false, out var r) && Enum.IsDefined(r) ? r : null;

    /// <summary>Roles bound to one institution.</summary>
    public static bool IsInstitutionBound(StaffRole role) => role is StaffRole.Board or StaffRole.StaffMember;
}

/// <summary>Every endpoint names one of these.</summary>
public static class Policies
{
    public const string Board = "board";
    public const string Inspector = "inspector";
    public const string CaseReader = "case-reader";
    public const string StaffMember = "staff-member";
    public const string MeldpuntHandler = "meldpunt-handler";
    public const string Administrator = "administrator";
    /// <summary>The monitoring figures: a board (its own institution beside its sector) and the administrator (every institution).</summary>
    public const string Figures = "figures";
    /// <summary>The incident register: a school's board and the staff members it authorised (the handler checks the authorisation).</summary>
    public const string IncidentRegister = "incident-register";
    /// <summary>The Inspectorate's intake of incident reports (not the vertrouwensinspecteur).</summary>
    public const string Inspectie = "inspectie";
    /// <summary>Any signed-in account (its own profile and two-factor set-up).</summary>
    public const string SignedIn = "signed-in";
}
