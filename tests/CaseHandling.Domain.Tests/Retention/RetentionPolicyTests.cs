using CaseHandling.Domain.Calendar;
using CaseHandling.Domain.Cases;
using CaseHandling.Domain.Retention;
using CaseHandling.Domain.Workflow;

namespace CaseHandling.Domain.Tests.Retention;

public sealed class RetentionPolicyTests
{
    private static readonly WorkingDayCalendar Calendar = new();

    [Test]
    public void OutcomeOf_EveryRowIntoClosed_HasAnOutcomeAndTheyDiffer()
    {
        var into = Transitions.Table.Where(t => t.To == CaseState.Closed).Select(t => t.From).Distinct().ToList();
        Assert.That(into, Is.Not.Empty);
        var outcomes = into.Select(RetentionPolicy.OutcomeOf).ToList();
        Assert.That(outcomes, Is.Unique);
        Assert.That(outcomes, Does.Not.Contain(RetentionOutcome.MeldpuntReport));
        Assert.That(RetentionPolicy.OutcomeOf(CaseState.InspectorNotified), Is.EqualTo(RetentionOutcome.Aangifte));
    }

    [Test]
    public void OutcomeOf_AStateWithNoRowIntoClosed_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => RetentionPolicy.OutcomeOf(CaseState.OverlegStarted));

    [Test]
    public void Default_EveryOutcomeHasAPeriod_AangifteLongest() =>
        Assert.Multiple(() =>
        {
            Assert.That(RetentionPolicy.Default.Periods.Keys, Is.EquivalentTo(Enum.GetValues<RetentionOutcome>()));
            var closed = new DateTimeOffset(2026, 3, 2, 10, 0, 0, TimeSpan.Zero);
            var aangifte = RetentionPolicy.Default.ErasableFrom(RetentionOutcome.Aangifte, closed, Calendar);
            foreach (var o in Enum.GetValues<RetentionOutcome>())
                Assert.That(RetentionPolicy.Default.ErasableFrom(o, closed, Calendar), Is.LessThanOrEqualTo(aangifte), o.ToString());
            Assert.That(aangifte.Year, Is.EqualTo(2036));
        });

    [Test]
    public void ErasableFrom_MonthsOnTheCalendar()
    {
        var closed = new DateTimeOffset(2026, 1, 31, 9, 0, 0, TimeSpan.Zero);
        var due = RetentionPolicy.Default.ErasableFrom(RetentionOutcome.NoReasonableSuspicion, closed, Calendar);
        Assert.That(due, Is.GreaterThan(closed.AddDays(729)).And.LessThan(closed.AddDays(733)));
    }

    [Test]
    public void From_Configured_OverridesNamedOutcomesOnly()
    {
        var policy = RetentionPolicy.From(new Dictionary<string, string> { ["meldpuntreport"] = "30d" });
        var closed = new DateTimeOffset(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);
        Assert.That(policy.ErasableFrom(RetentionOutcome.MeldpuntReport, closed, Calendar), Is.EqualTo(closed.AddDays(30)).Within(TimeSpan.FromDays(3)));
        Assert.That(policy.Periods[RetentionOutcome.Aangifte], Is.EqualTo(RetentionPolicy.Default.Periods[RetentionOutcome.Aangifte]));
    }

    [TestCase("Onbekend", "10mo", "is not an outcome")]
    [TestCase("Aangifte", "tien jaar", "is not a deadline rule")]
    public void From_BadSetting_NamesIt(string name, string value, string message)
    {
        var e = Assert.Catch<FormatException>(() => RetentionPolicy.From(new Dictionary<string, string> { [name] = value }));
        Assert.That(e!.Message, Does.Contain(message));
    }
}
