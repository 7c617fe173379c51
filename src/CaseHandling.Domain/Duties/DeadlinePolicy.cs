using CaseHandling.Domain.Deadlines;

namespace CaseHandling.Domain.Duties;

/// <summary>
/// The deadline of each duty. Policy, not law: the law says "onverwijld" and gives no number.
/// A changed policy applies to duties opened after the change; open duties keep their due time.
/// </summary>
public sealed class DeadlinePolicy
{
    private readonly Dictionary<DutyKind, DeadlineRule> _rules;

    public DeadlinePolicy(IReadOnlyDictionary<DutyKind, DeadlineRule>? overrides = null)
    {
        _rules = DutyTable.Rows.Select(r => (r.Kind, r.DefaultDeadline))
            .Concat(Reports.ServiceLevels.Rows.Select(r => (r.Kind, r.DefaultDeadline)))
            .Append((Kind: DutyKind.ReportIncidentToInspectorate, DefaultDeadline: Incidents.IncidentRules.DefaultReportDeadline))
            .ToDictionary(r => r.Kind, r => DeadlineRule.Parse(r.DefaultDeadline));
        foreach (var (kind, rule) in overrides ?? new Dictionary<DutyKind, DeadlineRule>())
            _rules[kind] = rule;
    }

    public static DeadlinePolicy Default { get; } = new();

    public DeadlineRule RuleFor(DutyKind kind) => _rules[kind];

    public IReadOnlyDictionary<DutyKind, DeadlineRule> Rules => _rules;
}
