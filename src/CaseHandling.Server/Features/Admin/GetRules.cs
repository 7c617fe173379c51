using CaseHandling.Domain.Cases;
using CaseHandling.Domain.Common;
using CaseHandling.Domain.Duties;
using CaseHandling.Domain.Workflow;
using Mediator;

namespace CaseHandling.Server.Features.Admin;

/// <summary>The rules in force: regimes with their matrix rows, the duty table with the deadlines of the policy, the transition table, extra holidays.</summary>
public sealed record GetRules : IQuery<Result<RulesView>>;

public sealed record RulesView(
    IReadOnlyList<Regime> Regimes,
    IReadOnlyList<DutyRuleView> Duties,
    IReadOnlyList<Transition> Transitions,
    IReadOnlyCollection<DateOnly> ExtraHolidays,
    IReadOnlyCollection<DecreedDayView> DecreedDays,
    IReadOnlyList<SectorArticle> SectorArticles);

/// <summary>A day a published decree equates with a holiday (Atw art. 3 lid 3), shipped with the system.</summary>
public sealed record DecreedDayView(DateOnly Date, string Why, string Decree, string Source);

public sealed record DutyRuleView(DutyKind Kind, int Step, CaseTrigger? OpenedBy, StaffRole Responsible, string Deadline,
    IReadOnlyList<CaseTrigger> MetBy, Coverage AppliesFrom, string Lid, string Description);

public sealed class GetRulesHandler(DutyRules rules) : IQueryHandler<GetRules, Result<RulesView>>
{
    public ValueTask<Result<RulesView>> Handle(GetRules q, CancellationToken ct) =>
        ValueTask.FromResult<Result<RulesView>>(new RulesView(
            rules.Matrix.Regimes,
            DutyTable.Rows.Select(d => new DutyRuleView(d.Kind, d.Step, d.OpenedBy, d.Responsible, rules.Policy.RuleFor(d.Kind).ToString(),
                d.MetBy, d.AppliesFrom, d.Lid, d.Description)).ToList(),
            Transitions.Table,
            rules.Calendar.ExtraHolidays,
            rules.Calendar.DecreedDays.Select(d => new DecreedDayView(d.Date, d.Why, d.Decree.Title, d.Decree.Source)).ToList(),
            SectorLaw.Rows));
}
