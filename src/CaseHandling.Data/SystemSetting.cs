namespace CaseHandling.Data;

/// <summary>
/// A setting the administrator changed at run time (the rules: regime date, extra holidays, deadline policy).
/// It overrides the configuration file; removing the row returns to it.
/// </summary>
public sealed class SystemSetting
{
    public string Key { get; set; } = "";
    public string Value { get; set; } = "";
    public DateTimeOffset UpdatedAt { get; set; }
    public string UpdatedBy { get; set; } = "";
}
