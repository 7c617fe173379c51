using CaseHandling.Domain.Calendar;
using CaseHandling.Domain.Deadlines;

namespace CaseHandling.Domain.Tests.Deadlines;

/// <summary>The one rule for reminders and escalations, read from a duty's stored schedule (the sweep applies it).</summary>
public sealed class NextActionTests
{
    private static DateTimeOffset Local(int mo, int d, int h, int mi = 0) => DutchTime.FromLocal(new DateOnly(2026, mo, d), new TimeOnly(h, mi));

    // A duty opened Monday 2 March 09:00, due Wednesday 4 March 12:00, reminded Tuesday 3 March 10:30 and 12:00.
    private static readonly DateTimeOffset Due = Local(3, 4, 12);
    private static readonly DateTimeOffset[] Reminders = [Local(3, 3, 10, 30), Local(3, 3, 12)];

    private static DutyAction? Decide(int seq, DateTimeOffset scheduled, int escalations, DateTimeOffset now, DateTimeOffset[]? reminders = null) =>
        NextAction.Decide(new DutySchedule(Due, reminders ?? Reminders, seq, scheduled, escalations), now, ReminderPolicy.Default, WorkingDayCalendar.Default);

    public sealed record Row(string Name, int Seq, DateTimeOffset Scheduled, int Escalations, DateTimeOffset Now, DutyAction? Expected, DateTimeOffset[]? Reminders = null)
    {
        public override string ToString() => Name;
    }

    private static readonly Row[] Rows =
    [
        new("before the first reminder: nothing", 0, Reminders[0], 0, Local(3, 3, 10), null),
        new("at the first reminder: remind, next the second", 0, Reminders[0], 0, Reminders[0],
            new DutyAction(DutyActionKind.Remind, 1, Reminders[1], 0)),
        new("at the second reminder: remind, next the deadline", 1, Reminders[1], 0, Reminders[1],
            new DutyAction(DutyActionKind.Remind, 2, Due, 0)),
        new("a late sweep past both reminders, before the deadline: one reminder, the missed one skipped", 0, Reminders[0], 0, Local(3, 3, 15),
            new DutyAction(DutyActionKind.Remind, 2, Due, 0)),
        new("a late sweep past the deadline with reminders left: straight to the escalation", 0, Reminders[0], 0, Local(3, 4, 13),
            new DutyAction(DutyActionKind.Escalate, 3, Local(3, 5, 12), 1)),
        new("at the deadline: escalate, next one working day later", 2, Due, 0, Due,
            new DutyAction(DutyActionKind.Escalate, 3, Local(3, 5, 12), 1)),
        new("second escalation: the next working day after it", 3, Local(3, 5, 12), 1, Local(3, 5, 12, 1),
            new DutyAction(DutyActionKind.Escalate, 4, Local(3, 6, 12), 2)),
        new("an escalation due Friday: the next is Monday, not Saturday", 3, Local(3, 6, 12), 1, Local(3, 6, 12),
            new DutyAction(DutyActionKind.Escalate, 4, Local(3, 9, 12), 2)),
        new("after an outage of a week: one escalation, missed intervals skipped", 3, Local(3, 5, 12), 1, Local(3, 12, 9),
            new DutyAction(DutyActionKind.Escalate, 4, Local(3, 12, 12), 2)),
        new("no reminders at all: the first action is the escalation at the deadline", 0, Due, 0, Due,
            new DutyAction(DutyActionKind.Escalate, 1, Local(3, 5, 12), 1), []),
        new("an escalation before Koningsdag (Monday 27 April): next on Tuesday 28 April", 3, Local(4, 24, 12), 1, Local(4, 24, 12),
            new DutyAction(DutyActionKind.Escalate, 4, Local(4, 28, 12), 2)),
    ];

    [TestCaseSource(nameof(Rows))]
    public void Decide_FromTheStoredSchedule_GivesTheActionAndTheNextInstant(Row row) =>
        Assert.That(Decide(row.Seq, row.Scheduled, row.Escalations, row.Now, row.Reminders), Is.EqualTo(row.Expected));

    [Test]
    public void Decide_AppliedAgainAfterItsOwnAction_NeverActsTwiceForOneInterval()
    {
        // Apply the decision, then ask again at the same instant: nothing more until the next instant.
        var now = Due;
        var first = Decide(2, Due, 0, now)!;
        Assert.That(Decide(first.Seq, first.NextAt, first.Escalations, now), Is.Null);
        Assert.That(Decide(first.Seq, first.NextAt, first.Escalations, first.NextAt), Is.Not.Null);
    }
}
